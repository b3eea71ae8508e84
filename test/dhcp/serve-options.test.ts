import { describe, expect, it } from 'vitest';
import { dhcpRequest } from '../../src/cli/serve.js';
import { UsageError } from '../../src/errors.js';

describe('serve --dhcp / --interface / --range', () => {
  it('is off without --dhcp; proxy needs an interface; full needs a range', () => {
    expect(dhcpRequest({})).toBeUndefined();
    expect(dhcpRequest({ dhcp: 'proxy', interface: 'eno1' })).toEqual({ mode: 'proxy', interface: 'eno1' });
    expect(dhcpRequest({ dhcp: 'full', interface: 'br0', range: '10.0.0.100, 10.0.0.199' })).toEqual({ mode: 'full', interface: 'br0', range: { start: '10.0.0.100', end: '10.0.0.199' } });
  });

  it.each([
    [{ interface: 'eno1' }, /go with --dhcp/],
    [{ dhcp: 'relay', interface: 'eno1' }, /expected proxy or full/],
    [{ dhcp: 'proxy' }, /needs --interface/],
    [{ dhcp: 'proxy', interface: 'eno1', range: '10.0.0.1,10.0.0.9' }, /--range goes with --dhcp full/],
    [{ dhcp: 'full', interface: 'br0' }, /needs --range FIRST,LAST/],
    [{ dhcp: 'full', interface: 'br0', range: '10.0.0.1' }, /needs --range FIRST,LAST/],
  ])('refuses %j', (options, message) => {
    expect(() => dhcpRequest(options)).toThrow(UsageError);
    expect(() => dhcpRequest(options)).toThrow(message);
  });
});
