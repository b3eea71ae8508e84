/** Loads the iPXE templates shipped in the package's ipxe/ directory (read once, cached). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

export interface IpxeTemplates {
  readonly device: string;
  readonly variantPcbios: string;
  readonly variantEfi: string;
  readonly download: string;
  readonly chain: string;
  readonly localDisk: string;
}

let cached: IpxeTemplates | undefined;

export function loadTemplates(dir = join(PACKAGE_ROOT, 'ipxe')): IpxeTemplates {
  if (cached && dir === join(PACKAGE_ROOT, 'ipxe')) return cached;
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  const templates: IpxeTemplates = {
    device: read('device.ipxe'),
    variantPcbios: read('variant-pcbios.ipxe'),
    variantEfi: read('variant-efi.ipxe'),
    download: read('download.ipxe'),
    chain: read('chain.ipxe'),
    localDisk: read('local-disk.ipxe'),
  };
  if (dir === join(PACKAGE_ROOT, 'ipxe')) cached = templates;
  return templates;
}
