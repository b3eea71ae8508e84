/**
 * The interface `serve --dhcp` answers on: it must exist and carry an IPv4 address, whose network
 * is the proxy range (and must hold a `full` range). Errors say what to fix and list what exists.
 */
import { networkInterfaces } from 'node:os';
import type { NetworkInterfaceInfo } from 'node:os';
import { MetalbootError } from '../errors.js';
import type { DhcpRange } from './types.js';

export interface InterfaceNetwork {
  /** The interface's own address: where TFTP and (usually) HTTP are reached. */
  readonly address: string;
  readonly netmask: string;
  /** The network address (address AND netmask). */
  readonly network: string;
}

export const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

export function interfaceNetwork(name: string, interfaces: Interfaces = networkInterfaces()): InterfaceNetwork {
  const entries = interfaces[name];
  if (!entries) {
    const known = Object.keys(interfaces).filter((n) => n !== 'lo').sort();
    throw new MetalbootError(`--interface ${name}: no such network interface on this machine`, {
      code: 'E_DHCP_INTERFACE',
      hint: known.length ? `interfaces with an address here: ${known.join(', ')} (\`ip -br address\` lists all)` : 'no interface has an address (`ip -br address`)',
    });
  }
  const v4 = entries.find((entry) => entry.family === 'IPv4' && !entry.internal) ?? entries.find((entry) => entry.family === 'IPv4');
  if (!v4) {
    throw new MetalbootError(`--interface ${name} has no IPv4 address: dnsmasq answers DHCP on an IPv4 network`, {
      code: 'E_DHCP_INTERFACE', hint: `give it one, e.g. \`ip address add 10.0.0.5/24 dev ${name}\``,
    });
  }
  return { address: v4.address, netmask: v4.netmask, network: fromInt(toInt(v4.address) & toInt(v4.netmask)) };
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
