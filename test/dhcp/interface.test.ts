import { describe, expect, it } from 'vitest';
import { checkRange, interfaceNetwork, listInterfaces } from '../../src/dhcp/interface.js';

const interfaces = { lo: [{ address: '127.0.0.1', prefix: 8 }], br0: [{ address: '10.78.0.1', prefix: 24 }], eno1: [] };

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

  it('reads this machine\'s interfaces with iproute2 (loopback has 127.0.0.1/8)', async () => {
    expect((await listInterfaces()).lo).toEqual([{ address: '127.0.0.1', prefix: 8 }]);
    expect(interfaceNetwork('lo', await listInterfaces())).toEqual({ address: '127.0.0.1', netmask: '255.0.0.0', network: '127.0.0.0' });
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
