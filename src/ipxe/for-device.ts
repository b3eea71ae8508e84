/** Config-level convenience: the script of a configured device, reading its image manifest. */
import type { Config } from '../config/types.js';
import { findDevice } from '../config/lookup.js';
import { deviceToken } from '../config/device-token.js';
import { MetalbootError } from '../errors.js';
import { readManifest } from '../image/store.js';
import { renderDeviceScript } from './device-script.js';

export async function renderForDevice(
  config: Config,
  key: string,
  options: { baseUrl?: string; secret: string },
): Promise<{ script: string; device: string }> {
  const device = findDevice(config, key);
  if (!device) {
    const names = Object.keys(config.devices);
    throw new MetalbootError(`no device "${key}" in ${config.file} (looked up by name, Metal id, MAC and UUID)`, {
      code: 'E_NO_DEVICE',
      hint: names.length ? `devices: ${names.join(', ')}` : 'add it under devices: in the config',
    });
  }
  const image = config.images[device.image]!;
  const manifest = await readManifest(config.server.stateDir, image.name);
  const script = renderDeviceScript({
    device,
    image,
    manifest,
    baseUrl: options.baseUrl ?? config.server.publicUrl,
    token: deviceToken(options.secret, device.name),
  });
  return { script, device: device.name };
}
