/**
 * Bond slave MACs for a device whose config lists none: the provider's view of its NICs (the
 * Metal device's `network_ports`). Looked up on demand, cached per device for a while, and never
 * fatal — a failed lookup is logged and yields no MACs, so the installer answer says what to fix.
 */
import type { DeviceConfig } from '../config/types.js';

export type PortMacs = (device: DeviceConfig) => Promise<readonly string[]>;

/** The provider's NIC MACs of one device, by its provider id (`metal_id`). */
export type ProviderMacs = (metalId: string) => Promise<readonly string[]>;

export function cachedPortMacs(
  lookup: ProviderMacs,
  options: { ttlMs?: number; now?: () => number; warn?: (message: string) => void } = {},
): PortMacs {
  const ttl = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; macs: readonly string[] }>();
  return async (device) => {
    if (device.macs.length > 0 || device.metalId === undefined) return device.macs;
    const hit = cache.get(device.metalId);
    if (hit && now() - hit.at < ttl) return hit.macs;
    try {
      const macs = await lookup(device.metalId);
      cache.set(device.metalId, { at: now(), macs });
      return macs;
    } catch (error) {
      options.warn?.(`device ${device.name}: could not read its network ports from the provider: ${(error as Error).message}`);
      return [];
    }
  };
}
