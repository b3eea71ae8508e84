# metalboot: a jq module. bond_facts: the text of /proc/net/bonding/<bond> → the "bond" facts of
# the booted report: mode, LACP rate, MII polling, hash policy, slaves with their permanent MACs
# and aggregator ids, the LACP partner's MAC. `settled`: for 802.3ad, LACP has a partner and every
# slave sits in the active aggregator; for other modes (no partner to wait for), every slave is up. Use: jq -R -s -L /usr/lib/metalboot 'include "bond-facts"; bond_facts'.
def pairs: [split("\n")[] | capture("^\\s*(?<k>[^:]+?):\\s*(?<v>.*?)\\s*$")?];
def first_values: reduce .[] as $p ({}; if has($p.k) then . else .[$p.k] = $p.v end);
def number: (tonumber? // null);
def mode_name:
  {
    "IEEE 802.3ad Dynamic link aggregation": "802.3ad",
    "fault-tolerance (active-backup)": "active-backup",
    "load balancing (round-robin)": "balance-rr",
    "load balancing (xor)": "balance-xor",
    "fault-tolerance (broadcast)": "broadcast",
    "transmit load balancing": "balance-tlb",
    "adaptive load balancing": "balance-alb"
  }[.] // .;

def bond_facts:
((. // "") | split("\nSlave Interface: ")) as $parts
| ($parts[0] // "") as $top
| ($top | pairs | first_values) as $head
| ($top | split("Active Aggregator Info:") | .[1] // "" | pairs | first_values) as $active
| [$parts[1:][] | "Slave Interface: " + . | pairs | first_values | {
    name: .["Slave Interface"],
    mac: .["Permanent HW addr"],
    mii_status: .["MII Status"],
    speed: .["Speed"],
    duplex: .["Duplex"],
    aggregator_id: (.["Aggregator ID"] // null | number)
  }] as $slaves
| {
    mode: ($head["Bonding Mode"] // null | if . == null then null else mode_name end),
    lacp_rate: ($head["LACP rate"] // null),
    miimon: ($head["MII Polling Interval (ms)"] // null | number),
    xmit_hash_policy: ($head["Transmit Hash Policy"] // null | if . == null then null else sub(" \\([0-9]+\\)$"; "") end),
    mii_status: ($head["MII Status"] // null),
    active_aggregator_id: ($active["Aggregator ID"] // null | number),
    partner_mac: ($active["Partner Mac Address"] // null),
    slaves: $slaves,
    aggregator_ids: [$slaves[].aggregator_id]
  }
| .settled = (if .mode == "802.3ad" then
    (.partner_mac != null and .partner_mac != "00:00:00:00:00:00" and (.slaves | length) > 0
     and .active_aggregator_id != null and (.active_aggregator_id as $id | all(.slaves[]; .aggregator_id == $id)))
  else
    ((.slaves | length) > 0 and all(.slaves[]; .mii_status == "up"))
  end);
