import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { l2SetupCommands, tapNicArgs } from '../../src/vm/l2.js';

const show = (lines: string[][] | string[]): string => `${lines.map((line) => (Array.isArray(line) ? line.join(' ') : line)).join('\n')}\n`;

describe('private layer-2 network plan', () => {
  it('sets up a bridge with an address, a bridged uplink tap and two loose taps, IPv6 off', async () => {
    const commands = l2SetupCommands({ bridge: 'br0', address: '10.77.0.1/24', bridgedTaps: ['swup'], looseTaps: ['tap0', 'tap1'] });
    await expect(show(commands)).toMatchFileSnapshot('../golden/vm/l2-setup.txt');
  });

  it('gives QEMU virtio-net NICs on the taps with a MAC, a 10G full-duplex link and no vnet header', async () => {
    const args = tapNicArgs([{ tap: 'tap0', mac: '52-54-00-AA-00-01' }, { tap: 'tap1', mac: '52:54:00:aa:00:02' }]);
    await expect(show(args)).toMatchFileSnapshot('../golden/vm/l2-nics.txt');
  });

  it.each([
    ['an interface name with a space', () => l2SetupCommands({ bridge: 'br 0', address: '10.0.0.1/24', bridgedTaps: [], looseTaps: [] })],
    ['an address without a prefix', () => l2SetupCommands({ bridge: 'br0', address: '10.0.0.1', bridgedTaps: [], looseTaps: [] })],
    ['a MAC that is not one', () => tapNicArgs([{ tap: 'tap0', mac: 'nope' }])],
    ['a tap name carrying a QEMU option', () => tapNicArgs([{ tap: 'tap0,script=/x', mac: '52:54:00:aa:00:01' }])],
  ])('refuses %s', (_title, run) => {
    expect(run).toThrow(UsageError);
  });
});
