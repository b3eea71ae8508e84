/**
 * The per-device data as a second initrd: an uncompressed newc cpio holding only
 * /etc/metalboot/device.json (0600: it carries the boot's token). Loaded after the image's own
 * initrd, the kernel unpacks it over the image, so its file wins. Pure and reproducible.
 */
import type { CpioEntry } from '../initrd/cpio.js';
import { cpioChunks } from '../initrd/cpio.js';
import type { DeviceDataInput } from './device-json.js';
import { DEVICE_DATA_PATH, renderDeviceJson } from './device-json.js';

export function deviceDataEntries(input: DeviceDataInput): CpioEntry[] {
  return [
    { type: 'dir', name: 'etc', mode: 0o755 },
    { type: 'dir', name: 'etc/metalboot', mode: 0o700 },
    { type: 'file', name: DEVICE_DATA_PATH, mode: 0o600, data: Buffer.from(renderDeviceJson(input)) },
  ];
}

export async function renderDeviceDataCpio(input: DeviceDataInput): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of cpioChunks(deviceDataEntries(input))) parts.push(chunk);
  return Buffer.concat(parts);
}
