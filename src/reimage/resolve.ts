/**
 * Finds the device to re-image: a config name (→ its provider id), a provider id (UUID), or a
 * hostname (the provider's hostname filter, then an exact match).
 */
import type { Config, DeviceConfig } from '../config/types.js';
import { findDevice } from '../config/lookup.js';
import { MetalbootError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { ReimageSummary, ResolvedDevice } from './types.js';

/** How a device is called in messages: its config name, else its hostname, else its id. */
export function labelOf(device: ResolvedDevice | ReimageSummary['device']): string {
  const hostname = 'device' in device ? device.device.hostname : device.hostname;
  return device.name || hostname || device.id;
}

/** The provider id of a configured device: `metal_id` for Metal, the name elsewhere (QEMU). */
export function providerIdOf(provider: Provider, device: DeviceConfig): string | undefined {
  return provider.idFor ? provider.idFor(device) : device.name;
}

export async function resolveDevice(provider: Provider, config: Config | undefined, key: string): Promise<ResolvedDevice> {
  const configured = config ? findDevice(config, key) : undefined;
  if (configured) {
    const id = providerIdOf(provider, configured);
    if (id === undefined) {
      throw new MetalbootError(`device "${configured.name}" in ${config!.file} has no metal_id`, {
        code: 'E_NO_DEVICE',
        hint: `add metal_id: <uuid> under devices.${configured.name} ("metalboot devices" lists the ids)`,
      });
    }
    return { id, name: configured.name, device: await provider.getDevice(id) };
  }
  const id = provider.parseDeviceId?.(key);
  if (id !== undefined) {
    const device = await provider.getDevice(id);
    return { id: device.id, ...nameFor(config, device.id, device.hostname), device };
  }
  const matches = (await provider.listDevices({ hostname: key })).filter((device) => device.hostname === key);
  if (matches.length === 1) {
    const device = matches[0]!;
    return { id: device.id, ...nameFor(config, device.id, device.hostname), device };
  }
  if (matches.length > 1) {
    throw new MetalbootError(`${matches.length} devices are called "${key}": ${matches.map((d) => d.id).join(', ')}`, {
      code: 'E_NO_DEVICE',
      hint: 'give the device id instead of its hostname',
    });
  }
  const names = config ? Object.keys(config.devices) : [];
  throw new MetalbootError(`no device "${key}": not a name in the config, not a device id, and no ${provider.name} device has that hostname`, {
    code: 'E_NO_DEVICE',
    hint: names.length > 0 ? `configured devices: ${names.join(', ')}; "metalboot devices" lists the provider's` : '"metalboot devices" lists the devices you can re-image',
  });
}

/**
 * A device found by id or hostname still gets its config name when the config knows it: by its id,
 * or by hostname only for a config device that has no metal_id (one with another id is another device).
 */
function nameFor(config: Config | undefined, id: string, hostname: string): { name?: string } {
  if (!config) return {};
  const found = findDevice(config, id) ?? Object.values(config.devices).find((device) => device.metalId === undefined && device.hostname === hostname);
  return found ? { name: found.name } : {};
}
