import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkRange, interfaceNetwork } from '../../src/dhcp/interface.js';

const v4 = (address: string, netmask: string): NetworkInterfaceInfo => ({ address, netmask, family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: null });
const interfaces = { lo: [{ ...v4('127.0.0.1', '255.0.0.0'), internal: true }], br0: [v4('10.78.0.1', '255.255.255.0')], eno1: [{ ...v4('fe80::1', 'ffff::'), family: 'IPv6' as const, scopeid: 2 }] };

describe('the interface serve --dhcp answers on', () => {
  it('gives its address, netmask and network', () => {
    expect(interfaceNetwork('br0', interfaces)).toEqual({ address: '10.78.0.1', netmask: '255.255.255.0', network: '10.78.0.0' });
  });

  it('names the interfaces that exist when it does not', () => {
    expect(() => interfaceNetwork('eth9', interfaces)).toThrow(/eth9: no such network interface/);
    try {
      interfaceNetwork('eth9', interfaces);
    } catch (error) {
      expect((error as { hint: string }).hint).toContain('br0, eno1');
      expect((error as { code: string }).code).toBe('E_DHCP_INTERFACE');
    }
  });

  it('says to add an IPv4 address when it has none', () => {
    expect(() => interfaceNetwork('eno1', interfaces)).toThrow(/has no IPv4 address/);
  });

  it('accepts a range inside the network and refuses one outside, reversed, or holding the server\'s address', () => {
    const net = interfaceNetwork('br0', interfaces);
    expect(() => checkRange({ start: '10.78.0.100', end: '10.78.0.199' }, net, 'br0')).not.toThrow();
    expect(() => checkRange({ start: '10.79.0.100', end: '10.79.0.199' }, net, 'br0')).toThrow(/not in br0's network 10.78.0.0/);
    expect(() => checkRange({ start: '10.78.0.199', end: '10.78.0.100' }, net, 'br0')).toThrow(/comes after/);
    expect(() => checkRange({ start: '10.78.0.1', end: '10.78.0.10' }, net, 'br0')).toThrow(/own address 10.78.0.1/);
    expect(() => checkRange({ start: 'ten', end: '10.78.0.10' }, net, 'br0')).toThrow(/not an IPv4 address/);
  });
});
