/**
 * A private layer-2 network inside a network namespace: a bridge with an address (where DHCP and
 * HTTP listen), one uplink tap on it, and unbridged taps for a VM's NICs (a switch program, e.g.
 * the LACP test switch, joins them to the uplink). Pure: it returns the commands and the QEMU NIC
 * arguments; whoever runs the namespace runs them.
 */
import { normalizeMac } from '../config/mac.js';
import { UsageError } from '../errors.js';

export interface L2Plan {
  /** Bridge name, e.g. `br0`. */
  readonly bridge: string;
  /** The bridge's address with prefix, e.g. `10.77.0.1/24`. */
  readonly address: string;
  /** Taps on the bridge (e.g. a switch's uplink). */
  readonly bridgedTaps: readonly string[];
  /** Taps left off the bridge (a VM's NICs, handed to a switch program). */
  readonly looseTaps: readonly string[];
}

export interface TapNic {
  readonly tap: string;
  readonly mac: string;
  /** false: no option ROM (`romfile=`), so the firmware's own PXE drives the NIC (OVMF) instead of the ROM's iPXE. */
  readonly rom?: boolean;
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * argv lists, in order: IPv6 off for new links (no router solicitations on the wire), loopback,
 * bridge, taps. Loose taps get `arp off`: this namespace's own stack must not answer the VM's ARP
 * for the bridge's address through them (it would, by Linux's weak host model), or the VM's
 * traffic would reach the host directly instead of through the switch program.
 */
export function l2SetupCommands(plan: L2Plan): string[][] {
  for (const name of [plan.bridge, ...plan.bridgedTaps, ...plan.looseTaps]) {
    if (!IFNAME.test(name)) throw new UsageError(`l2: "${name}" is not an interface name (1–15 letters, digits, . _ -)`);
  }
  if (!CIDR.test(plan.address)) throw new UsageError(`l2: "${plan.address}" is not an IPv4 address with a prefix, like 10.77.0.1/24`);
  const commands: string[][] = [
    ['sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1', 'net.ipv6.conf.all.disable_ipv6=1'],
    ['ip', 'link', 'set', 'lo', 'up'],
    ['ip', 'link', 'add', plan.bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'],
    ['ip', 'address', 'add', plan.address, 'dev', plan.bridge],
    ['ip', 'link', 'set', plan.bridge, 'up'],
  ];
  for (const tap of plan.bridgedTaps) {
    commands.push(['ip', 'tuntap', 'add', 'dev', tap, 'mode', 'tap'], ['ip', 'link', 'set', tap, 'master', plan.bridge, 'up']);
  }
  for (const tap of plan.looseTaps) {
    commands.push(['ip', 'tuntap', 'add', 'dev', tap, 'mode', 'tap'], ['ip', 'link', 'set', tap, 'arp', 'off', 'up']);
  }
  return commands;
}

/**
 * QEMU arguments for virtio-net NICs on existing taps. `vnet_hdr=off`: the guest then computes its
 * own checksums and sends plain frames, so a program reading the tap (AF_PACKET) sees them as on
 * a wire. `speed`/`duplex` give the guest a link speed: 802.3ad bonds aggregate only full-duplex
 * links of a known speed.
 */
export function tapNicArgs(nics: readonly TapNic[], options: { firstBootIndex?: number } = {}): string[] {
  return nics.flatMap((nic, index) => {
    const mac = normalizeMac(nic.mac);
    if (!mac) throw new UsageError(`l2: "${nic.mac}" is not a MAC address`);
    if (!IFNAME.test(nic.tap)) throw new UsageError(`l2: "${nic.tap}" is not an interface name`);
    return [
      '-netdev', `tap,id=l2n${index},ifname=${nic.tap},script=no,downscript=no,vnet_hdr=off`,
      '-device', `virtio-net-pci,netdev=l2n${index},mac=${mac},speed=10000,duplex=full${nic.rom === false ? ',romfile=' : ''}${index === 0 && options.firstBootIndex !== undefined ? `,bootindex=${options.firstBootIndex}` : ''}`,
    ];
  });
}
