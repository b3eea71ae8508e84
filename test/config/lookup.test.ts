import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { findDevice } from '../../src/config/lookup.js';
import { normalizeMac, normalizeUuid } from '../../src/config/mac.js';

const config = parseConfig(
  `images:
  deb: { type: files, kernel: /k, initrd: /i }
devices:
  web-1:
    image: deb
    metal_id: 6F9D1C3E-0000-4000-8000-00000000AA01
    uuid: "{4C4C4544-0042-3510-8051-B4C04F4B4E32}"
    macs: ["b4:96:91:aa:bb:01", "B4-96-91-AA-BB-02"]
  web-2:
    image: deb
    mac: b49691aabb03
`,
  '/srv/metalboot.yaml',
);

describe('device lookup', () => {
  it.each([
    ['its name', 'web-1', 'web-1'],
    ['its Metal id in upper case', '6F9D1C3E-0000-4000-8000-00000000AA01', 'web-1'],
    ['its SMBIOS UUID as iPXE prints it', '4c4c4544-0042-3510-8051-b4c04f4b4e32', 'web-1'],
    ['a MAC with colons', 'b4:96:91:aa:bb:02', 'web-1'],
    ['a MAC with dashes (iPXE ${mac:hexhyp})', 'b4-96-91-aa-bb-01', 'web-1'],
    ['a MAC in upper case', 'B4:96:91:AA:BB:03', 'web-2'],
    ['a bare-hex MAC', 'b49691aabb03', 'web-2'],
    ['a Cisco-style MAC', 'b496.91aa.bb03', 'web-2'],
  ])('finds a device by %s', (_how, key, name) => {
    expect(findDevice(config, key)?.name).toBe(name);
  });

  it.each(['web-3', 'b4:96:91:aa:bb:04', '00000000-0000-0000-0000-000000000000', ''])('finds nothing for %j', (key) => {
    expect(findDevice(config, key)).toBeUndefined();
  });

  it('applies defaults: bond 802.3ad/slow/100/layer3+4, always_pxe auto, hostname = name', () => {
    const device = config.devices['web-2']!;
    expect(device.bond).toEqual({ mode: '802.3ad', lacpRate: 'slow', miimon: 100, xmitHashPolicy: 'layer3+4' });
    expect(device.alwaysPxe).toBe('auto');
    expect(device.hostname).toBe('web-2');
    expect(config.server.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.server.stateDir).toBe('/srv/.metalboot');
  });
});

describe('MAC and UUID spellings', () => {
  it.each([
    ['b4:96:91:aa:bb:01', 'b4:96:91:aa:bb:01'],
    ['B4-96-91-AA-BB-01', 'b4:96:91:aa:bb:01'],
    [' b49691aabb01 ', 'b4:96:91:aa:bb:01'],
    ['b4:96:91:aa:bb', undefined],
    ['b4:96-91:aa:bb:01', undefined],
    ['b4:96:91:aa:bb:0g', undefined],
    ['b4:96:91:aa:bb:011', undefined],
  ])('normalizeMac(%j) is %j', (input, expected) => {
    expect(normalizeMac(input)).toBe(expected);
  });

  it('lower-cases UUIDs and strips braces', () => {
    expect(normalizeUuid('{4C4C4544-0042-3510-8051-B4C04F4B4E32}')).toBe('4c4c4544-0042-3510-8051-b4c04f4b4e32');
    expect(normalizeUuid('4c4c4544004235108051b4c04f4b4e32')).toBeUndefined();
  });
});
