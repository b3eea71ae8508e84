import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DEVICE_DATA_PATH, buildDeviceData, renderDeviceDataCpio, renderDeviceJson } from '../../src/devicedata/index.js';
import { listCpio } from '../../src/initrd/cpio-reader.js';

const config = parseConfig(`images:
  ram:
    type: rootfs
devices:
  ram-1:
    image: ram
    hostname: ram-1.lab
    macs: ["52:54:00:AA:00:01", "52-54-00-aa-00-02"]
    bond: { lacp_rate: fast, xmit_hash_policy: layer2+3 }
    ssh_keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTheGoldenFile operator@desk"]
  bare-1:
    image: ram
`, '/srv/metalboot.yaml');

const input = { device: config.devices['ram-1']!, token: 'a1'.repeat(32), baseUrl: 'http://boot.example.net:8080/' };

async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  yield buffer;
}

describe('per-device data (second initrd)', () => {
  it('renders device.json with host name, bond and its slave MACs, keys and the report URL with the token', async () => {
    await expect(renderDeviceJson(input)).toMatchFileSnapshot('../golden/devicedata/ram-1.json');
  });

  it('packs only /etc/metalboot/device.json (0600, in a 0700 directory) as an uncompressed newc cpio', async () => {
    const bytes = await renderDeviceDataCpio(input);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('070701');
    const entries = await listCpio(once(bytes));
    const listing = entries.map((e) => `${e.mode.toString(8).padStart(6, '0')} ${e.uid}:${e.gid} ${String(e.size).padStart(5)} ${e.name}`);
    await expect(`${listing.join('\n')}\n`).toMatchFileSnapshot('../golden/devicedata/ram-1.cpio.txt');
    const file = entries.find((e) => e.name === DEVICE_DATA_PATH)!;
    expect(file.data.toString()).toBe(renderDeviceJson(input));
    expect(entries.every((e) => e.mtime === 0)).toBe(true);
  });

  it('gives the same bytes for the same input, and other bytes for another token', async () => {
    const a = await renderDeviceDataCpio(input);
    expect((await renderDeviceDataCpio(input)).equals(a)).toBe(true);
    expect((await renderDeviceDataCpio({ ...input, token: 'b2'.repeat(32) })).equals(a)).toBe(false);
  });

  it('leaves the bond out for a device without MACs (the image then asks for DHCP on every NIC)', () => {
    const data = buildDeviceData({ ...input, device: config.devices['bare-1']! });
    expect(data.bond).toBeNull();
    expect(data.hostname).toBe('bare-1');
    expect(data.report.url).toBe(`http://boot.example.net:8080/events/bare-1?token=${'a1'.repeat(32)}`);
  });
});
