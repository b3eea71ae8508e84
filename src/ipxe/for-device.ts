/** Config-level convenience: the script of a configured device, with its token and image manifest. */
import type { Config, DeviceConfig } from '../config/types.js';
import { findDevice } from '../config/lookup.js';
import { deviceToken } from '../config/device-token.js';
import { MetalbootError } from '../errors.js';
import type { ImageManifest } from '../image/manifest.js';
import { readManifest } from '../image/store.js';
import { renderDeviceScript } from './device-script.js';

/** The script of a configured device whose manifest is already at hand (server, push). */
export function renderScriptFor(config: Config, device: DeviceConfig, manifest: ImageManifest, options: { baseUrl?: string; secret: string }): string {
  return renderDeviceScript({
    device,
    image: config.images[device.image]!,
    manifest,
    baseUrl: options.baseUrl ?? config.server.publicUrl,
    token: deviceToken(options.secret, device.name),
  });
}

/** Looks the device up (name, Metal id, MAC, UUID), reads its image manifest and renders its script. */
export async function renderForDevice(
  config: Config,
  key: string,
  options: { baseUrl?: string; secret: string },
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
