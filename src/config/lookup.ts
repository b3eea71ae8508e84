/**
 * Finds a device by name, Metal id, any MAC spelling or SMBIOS UUID. Pure. Lookups go through a Map
 * built once per config object, never through a plain object keyed by what a request sent (so
 * `__proto__`, `constructor` or `toString` are names like any other: not found).
 */
import type { Config, DeviceConfig } from './types.js';
import { normalizeMac, normalizeUuid } from './mac.js';

interface DeviceIndex {
  readonly byName: ReadonlyMap<string, DeviceConfig>;
  /** Normalized MACs, UUIDs and Metal ids. */
  readonly byId: ReadonlyMap<string, DeviceConfig>;
}

const indexes = new WeakMap<Config, DeviceIndex>();

function indexOf(config: Config): DeviceIndex {
  let index = indexes.get(config);
  if (index) return index;
  const byName = new Map<string, DeviceConfig>();
  const byId = new Map<string, DeviceConfig>();
  for (const [name, device] of Object.entries(config.devices)) {
    byName.set(name, device);
    for (const mac of device.macs) if (!byId.has(`mac:${mac}`)) byId.set(`mac:${mac}`, device);
    for (const uuid of [device.uuid, device.metalId]) if (uuid !== undefined && !byId.has(`uuid:${uuid}`)) byId.set(`uuid:${uuid}`, device);
  }
  index = { byName, byId };
  indexes.set(config, index);
  return index;
}

/** The device configured under exactly this name. */
export function deviceByName(config: Config, name: string): DeviceConfig | undefined {
  return indexOf(config).byName.get(name);
}

export function findDevice(config: Config, key: string): DeviceConfig | undefined {
  const index = indexOf(config);
  const byName = index.byName.get(key);
  if (byName) return byName;
  const mac = normalizeMac(key);
  if (mac) {
    const device = index.byId.get(`mac:${mac}`);
    if (device) return device;
  }
  const uuid = normalizeUuid(key);
  return uuid ? index.byId.get(`uuid:${uuid}`) : undefined;
}
