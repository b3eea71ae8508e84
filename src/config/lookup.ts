/** Finds a device by name, Metal id, any MAC spelling or SMBIOS UUID. Pure. */
import type { Config, DeviceConfig } from './types.js';
import { normalizeMac, normalizeUuid } from './mac.js';

export function findDevice(config: Config, key: string): DeviceConfig | undefined {
  const byName = config.devices[key];
  if (byName) return byName;
  const mac = normalizeMac(key);
  const uuid = normalizeUuid(key);
  for (const device of Object.values(config.devices)) {
    if (mac && device.macs.includes(mac)) return device;
    if (uuid && (device.uuid === uuid || device.metalId === uuid)) return device;
  }
  return undefined;
}
