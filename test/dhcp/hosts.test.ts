import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { deviceMacs, renderHostsFile } from '../../src/dhcp/index.js';

const config = parseConfig(
  'images:\n  deb: { type: files, kernel: /k, initrd: /i }\ndevices:\n  b-1: { image: deb, macs: ["B4-96-91-AA-BB-02", "b4:96:91:aa:bb:01"] }\n  a-1: { image: deb, macs: ["52:54:00:00:00:09"] }\n  c-1: { image: deb }\n',
  '/tmp/metalboot.yaml',
);

describe('dnsmasq hosts file', () => {
  it('lists every configured MAC once, normalised and sorted; devices without MACs add nothing', () => {
    expect(deviceMacs(config)).toEqual(['52:54:00:00:00:09', 'b4:96:91:aa:bb:01', 'b4:96:91:aa:bb:02']);
  });

  it('writes one dhcp-host line per MAC (dnsmasq tags a match "known"), nothing else but a comment', () => {
    const lines = renderHostsFile(config).split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^# /);
    expect(lines.slice(1)).toEqual(['52:54:00:00:00:09,set:metalboot', 'b4:96:91:aa:bb:01,set:metalboot', 'b4:96:91:aa:bb:02,set:metalboot']);
  });
});
