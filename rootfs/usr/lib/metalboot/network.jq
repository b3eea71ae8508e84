# metalboot: /etc/metalboot/device.json → the shell commands apply-device-data evaluates (one jq
# run: jq starts slowly under emulation). Every value is checked here first, so a bad field stops
# everything instead of reaching a file; what is written is quoted with @sh. It writes the bond's
# files into $root/run/systemd/network (none when "bond" is null: the image's fallback then asks
# for DHCP on every NIC), $root/etc/hostname and root's authorized_keys, and sets $hostname.
def fail($field; $why): error("device.json: \($field) \($why)");
def check($field; $pattern; $why): if type == "string" and test($pattern) then . else fail($field; $why) end;

def hostname_of: .hostname | check("hostname"; "^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\z"; "must be a host name");
def mac: check("bond.slaves[]"; "^([0-9a-f]{2}:){5}[0-9a-f]{2}\\z"; "must be a lower-case MAC like 52:54:00:12:34:56");
def bond_fields($b):
  if ($b.slaves | type) != "array" or ($b.slaves | length) < 1 or ($b.slaves | length) > 8 then fail("bond.slaves"; "must list 1 to 8 MACs") else . end
  | {
      name: "bond0",
      mode: ($b.mode // "802.3ad" | check("bond.mode"; "^(balance-rr|active-backup|balance-xor|broadcast|802\\.3ad|balance-tlb|balance-alb)\\z"; "is not a bonding mode")),
      lacp_rate: ($b.lacp_rate // "slow" | check("bond.lacp_rate"; "^(slow|fast)\\z"; "must be slow or fast")),
      miimon: ($b.miimon // 100 | if type == "number" and . >= 0 and . <= 60000 and . == floor then . else fail("bond.miimon"; "must be a whole number of milliseconds") end),
      xmit_hash_policy: ($b.xmit_hash_policy // "layer3+4" | check("bond.xmit_hash_policy"; "^(layer2|layer2\\+3|layer3\\+4|encap2\\+3|encap3\\+4|vlan\\+srcmac)\\z"; "is not a transmit hash policy")),
      slaves: [$b.slaves[] | mac]
    };
def bond_of: .bond as $b | if $b == null then null else bond_fields($b) end;
def keys_of:
  (.ssh_authorized_keys // []) as $k
  | if ($k | type) != "array" or ($k | length) > 64 then fail("ssh_authorized_keys"; "must be a list of at most 64 keys") else . end
  | [$k[] | check("ssh_authorized_keys[]"; "^[^\\n\\r\\x00]{1,16384}\\z"; "must each be one line")];

def plan:
  . as $d
  | bond_of as $b
  | {
      hostname: ($d | hostname_of),
      authorized_keys: (($d | keys_of) | map(. + "\n") | add // ""),
      files: (if $b == null then {} else {
        "10-metalboot-bond0.netdev": ([
          "[NetDev]", "Name=\($b.name)", "Kind=bond", "MACAddress=\($b.slaves[0])", "",
          "[Bond]", "Mode=\($b.mode)", "LACPTransmitRate=\($b.lacp_rate)", "MIIMonitorSec=\($b.miimon)ms",
          "TransmitHashPolicy=\($b.xmit_hash_policy)", ""
        ] | join("\n")),
        "10-metalboot-bond0.network": ([
          "[Match]", "Name=\($b.name)", "", "[Network]", "DHCP=ipv4", "", "[DHCPv4]", "ClientIdentifier=mac", ""
        ] | join("\n"))
      } + ([$b.slaves | to_entries[] | {
        key: "10-metalboot-\($b.name)-slave\(.key).network",
        value: (["[Match]", "PermanentMACAddress=\(.value)", "", "[Network]", "Bond=\($b.name)", ""] | join("\n"))
      }] | from_entries) end)
    };

def shell($root):
  ($root + "/run/systemd/network") as $net
  | [
      "hostname=\(.hostname | @sh)",
      "mkdir -p \($net | @sh)",
      (.files | to_entries[] | "printf %s \(.value | @sh) > \(($net + "/" + .key) | @sh)"),
      "printf '%s\\n' \(.hostname | @sh) > \(($root + "/etc/hostname") | @sh)",
      "mkdir -p -m 700 \(($root + "/root/.ssh") | @sh)",
      "(umask 077; printf %s \(.authorized_keys | @sh) > \(($root + "/root/.ssh/authorized_keys") | @sh))",
      "files=\(.files | length)"
    ]
  | join("\n");

plan | shell($root)
