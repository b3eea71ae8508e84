import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { DeviceConfig, ImageConfig } from '../../src/config/types.js';
import { DEFAULT_BOND } from '../../src/config/types.js';
import type { ImageManifest } from '../../src/image/manifest.js';
import type { InstallerRenderInput } from '../../src/installer/types.js';
import { buildDeviceData } from '../../src/devicedata/index.js';

export const device: DeviceConfig = {
  name: 'web-1',
  macs: ['b4:96:91:aa:bb:01', 'b4:96:91:aa:bb:02'],
  image: 'debian12',
  hostname: 'web-1',
  kernelArgs: [],
  bond: DEFAULT_BOND,
  alwaysPxe: 'auto',
  sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZha2VrZXlmb3J0ZXN0aW5nb25seQ ops@example', "ssh-rsa AAAAB3Nza it's-quoted"],
};

export const debianImage: ImageConfig = {
  name: 'debian12', type: 'debian', arches: ['x86_64'], kernelArgs: [], console: {},
  release: 'bookworm', mirror: 'https://deb.debian.org/debian', preseedMode: 'inject',
};

export const almaImage: ImageConfig = {
  name: 'alma9', type: 'alma', arches: ['x86_64'], kernelArgs: [], console: {},
  version: '9', mirror: 'https://repo.almalinux.org/almalinux',
};

/** What `metalboot build` records for an installer image: its own kernel arguments, no console. */
export function manifestOf(image: ImageConfig, cmdline: readonly string[] = ['auto=true', 'priority=critical', 'url={{preseed_url}}']): ImageManifest {
  const asset = { name: 'linux', sha256: 'a'.repeat(64), size: 1 };
  return {
    schema: 1, name: image.name, type: image.type, installer: true,
    variants: { x86_64: { arch: 'x86_64', kernel: asset, initrd: { ...asset, name: 'initrd.gz' }, compression: 'gzip', cmdline } },
  };
}

export async function shipped(relative: string): Promise<string> {
  return readFile(join(PACKAGE_ROOT, relative), 'utf8');
}

export function input(image: ImageConfig, template: string, over: Partial<InstallerRenderInput> = {}): InstallerRenderInput {
  const base = { device, image, manifest: manifestOf(image), baseUrl: 'http://boot.example.net:8080/', token: '0123456789abcdef0123456789abcdef', bondMacs: device.macs, template, ...over };
  return { deviceJson: JSON.stringify(buildDeviceData({ device: { ...base.device, macs: base.bondMacs }, token: base.token, baseUrl: base.baseUrl })), ...base };
}
