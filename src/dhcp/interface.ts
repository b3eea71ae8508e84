/**
 * The interface `serve --dhcp` answers on: it must exist and carry an IPv4 address, whose network
 * is the proxy range (and must hold a `full` range). Errors say what to fix and list what exists.
 */
import { execa } from 'execa';
import { MetalbootError } from '../errors.js';
import { findProgram } from '../host/files.js';
import type { DhcpRange } from './types.js';

export interface InterfaceNetwork {
  /** The interface's own address: where TFTP and (usually) HTTP are reached. */
  readonly address: string;
  readonly netmask: string;
  /** The network address (address AND netmask). */
  readonly network: string;
}

export const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Interface name → its IPv4 addresses with prefix length (`ip -j -4 address`). */
export type Interfaces = Readonly<Record<string, readonly { readonly address: string; readonly prefix: number }[]>>;

/**
 * Every interface and its IPv4 addresses, from iproute2: unlike Node's networkInterfaces(), it also
 * lists an interface that is up without a carrier yet (a bridge whose ports are all down).
 */
export async function listInterfaces(): Promise<Interfaces> {
  const ip = (await findProgram('ip')) ?? 'ip';
  const result = await execa(ip, ['-j', '-4', 'address', 'show'], { reject: false, timeout: 10_000 });
  if (result.exitCode !== 0) throw new MetalbootError(`cannot list the network interfaces: ${String(result.stderr).trim()}`, { code: 'E_DHCP_INTERFACE', hint: 'iproute2 (`ip`) must be installed' });
  const links = JSON.parse(String(result.stdout)) as { ifname?: string; addr_info?: { family?: string; local?: string; prefixlen?: number }[] }[];
  const out: Record<string, { address: string; prefix: number }[]> = {};
  for (const link of links) {
    if (!link.ifname) continue;
    out[link.ifname] = (link.addr_info ?? []).filter((a) => a.family === 'inet' && a.local && a.prefixlen !== undefined).map((a) => ({ address: a.local!, prefix: a.prefixlen! }));
  }
  return out;
}

export function interfaceNetwork(name: string, interfaces: Interfaces): InterfaceNetwork {
  const entries = interfaces[name];
  if (!entries) {
    const known = Object.keys(interfaces).filter((n) => n !== 'lo').sort();
    throw new MetalbootError(`--interface ${name}: no such network interface on this machine`, {
      code: 'E_DHCP_INTERFACE',
      hint: known.length ? `interfaces here: ${known.join(', ')} (\`ip -br address\` shows them)` : 'there is no interface but loopback (`ip -br address`)',
    });
  }
  const v4 = entries[0];
  if (!v4) {
    throw new MetalbootError(`--interface ${name} has no IPv4 address: dnsmasq answers DHCP on an IPv4 network`, {
      code: 'E_DHCP_INTERFACE', hint: `give it one, e.g. \`ip address add 10.0.0.5/24 dev ${name}\``,
    });
  }
  const netmask = fromInt(v4.prefix === 0 ? 0 : (0xffffffff << (32 - v4.prefix)) >>> 0);
  return { address: v4.address, netmask, network: fromInt(toInt(v4.address) & toInt(netmask)) };
}

/** A `full` range must lie in the interface's network, start ≤ end, and leave out the interface's own address. */
export function checkRange(range: DhcpRange, net: InterfaceNetwork, name: string): void {
  for (const address of [range.start, range.end]) {
    if (!IPV4.test(address)) throw new MetalbootError(`--range: "${address}" is not an IPv4 address`, { code: 'E_DHCP_INTERFACE', hint: 'e.g. --range 10.0.0.100,10.0.0.199' });
  }
  const mask = toInt(net.netmask);
  const [start, end] = [toInt(range.start), toInt(range.end)];
  for (const [label, value] of [[range.start, start], [range.end, end]] as const) {
    if (((value & mask) >>> 0) !== toInt(net.network)) {
      throw new MetalbootError(`--range: ${label} is not in ${name}'s network ${net.network}/${net.netmask}`, {
        code: 'E_DHCP_INTERFACE', hint: `choose addresses in ${net.network}/${net.netmask}, or another --interface`,
      });
    }
  }
  if (start > end) throw new MetalbootError(`--range: ${range.start} comes after ${range.end}`, { code: 'E_DHCP_INTERFACE', hint: 'write --range FIRST,LAST' });
  const own = toInt(net.address);
  if (own >= start && own <= end) {
    throw new MetalbootError(`--range ${range.start},${range.end} contains ${name}'s own address ${net.address}`, {
      code: 'E_DHCP_INTERFACE', hint: 'leave the server\'s address out of the range',
    });
  }
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

function fromInt(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}
