/**
 * Config-level convenience: the script of a configured device and its image manifest, carrying the
 * token of the device's armed boot (src/boots/) when there is one, else no answer URLs.
 */
import type { Config, DeviceConfig } from '../config/types.js';
import { findDevice } from '../config/lookup.js';
import { MetalbootError } from '../errors.js';
import type { ImageManifest } from '../image/manifest.js';
import { readManifest } from '../image/store.js';
import { renderDeviceScript } from './device-script.js';

/** The script of a configured device whose manifest is already at hand (server, push). */
export interface ScriptOptions {
  readonly baseUrl?: string;
  /** The armed boot's token; without it the script has no answer URLs (preseed, phone-home). */
  readonly token?: string | undefined;
}

export function renderScriptFor(config: Config, device: DeviceConfig, manifest: ImageManifest, options: ScriptOptions = {}): string {
  return renderDeviceScript({
    device,
    image: config.images[device.image]!,
    manifest,
    baseUrl: options.baseUrl ?? config.server.publicUrl,
    token: options.token,
  });
}

/** Looks the device up (name, Metal id, MAC, UUID), reads its image manifest and renders its script. */
export async function renderForDevice(
  config: Config,
  key: string,
  options: ScriptOptions = {},
): Promise<{ script: string; device: DeviceConfig; manifest: ImageManifest }> {
  const device = findDevice(config, key);
  if (!device) {
    const names = Object.keys(config.devices);
    throw new MetalbootError(`no device "${key}" in ${config.file} (looked up by name, Metal id, MAC and UUID)`, {
      code: 'E_NO_DEVICE',
      hint: names.length ? `devices: ${names.join(', ')}` : 'add it under devices: in the config',
    });
  }
  const manifest = await readManifest(config.server.stateDir, device.image);
  return { script: renderScriptFor(config, device, manifest, options), device, manifest };
}
