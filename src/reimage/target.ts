/** Builds the re-image target for a configured device (its rendered script) or a stock OS. */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/types.js';
import { MetalbootError, UsageError } from '../errors.js';
import { deviceUrls, renderForDevice, scriptUrls } from '../ipxe/index.js';
import { labelOf } from './resolve.js';
import type { ReimageTarget, ResolvedDevice } from './types.js';

export async function osTarget(operatingSystem: string, userdataFile: string | undefined): Promise<ReimageTarget> {
  if (!/^[a-z0-9_.-]+$/.test(operatingSystem)) throw new UsageError(`"${operatingSystem}" is not an operating system slug (e.g. debian_12, ubuntu_24_04)`);
  if (operatingSystem === 'custom_ipxe') throw new UsageError('--os custom_ipxe is what metalboot does without --os; leave --os out');
  if (userdataFile === undefined) return { kind: 'os', operatingSystem };
  let userdata: string;
  try {
    userdata = await readFile(userdataFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --userdata ${userdataFile}: ${(error as Error).message}`);
  }
  return { kind: 'os', operatingSystem, userdata };
}

export async function ipxeTarget(config: Config | undefined, resolved: ResolvedDevice): Promise<ReimageTarget> {
  if (!config || resolved.name === undefined) {
    throw new MetalbootError(`device ${labelOf(resolved)} is not in ${config?.file ?? 'a metalboot.yaml'}, so metalboot has no script for it`, {
      code: 'E_NO_DEVICE',
      hint: `add it under devices: with metal_id: ${resolved.id} and an image, or use --os <slug> for a stock operating system`,
    });
  }
  // the URLs the script fetches (kernel, initrd) do not depend on the boot token
  const { script, device, manifest } = await renderForDevice(config, resolved.name);
  const scriptUrl = deviceUrls(config.server.publicUrl, resolved.name, '').script;
  const alwaysPxeAfter = device.alwaysPxe === 'auto' ? !manifest.installer : device.alwaysPxe;
  const reportsBooted = manifest.installer || manifest.type === 'rootfs';
  return { kind: 'ipxe', scriptUrl, checkUrls: [scriptUrl, ...scriptUrls(script)], installer: manifest.installer, alwaysPxeAfter, reportsBooted };
}
