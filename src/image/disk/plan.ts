/**
 * The plan of a disk image build: the installed system's packages, its cache key and directory, and
 * the installer's RAM OS config (a rootfs image: the rootfs machinery builds and caches it). Pure.
 */
import type { DiskImageConfig, RootfsImageConfig } from '../../config/types.js';
import { rootfsCacheKey } from '../rootfs/cache-key.js';
import type { MirrorRelease } from '../rootfs/release.js';
import { join } from 'node:path';
import { DISK_DPKG_FILTERS, INSTALLER_PACKAGES, diskPackageSet } from './packages.js';

/** Bump when assemble.ts or layout.ts change the image's bytes in a way the recipe does not show. */
export const DISK_BUILDER_VERSION = 1;

/** gzip -1 -n: the installer streams the image through `gzip -dc`; -1 is a few % larger than -6 at a fraction of the time. */
export const GZIP_ARGS = ['-1', '-n', '-c'];

export interface DiskPlan {
  readonly key: string;
  readonly dir: string;
  readonly packages: string[];
}

/** `assembleDigest`: sha256 of disk/assemble.sh; `shippedDigest`: of rootfs/ (shipped.ts). */
export function planDisk(stateDir: string, image: DiskImageConfig, release: MirrorRelease, shippedDigest: string, assembleDigest: string): DiskPlan {
  const packages = diskPackageSet(image.packages);
  const key = rootfsCacheKey({
    suite: image.suite, debArch: 'amd64', mirror: image.mirror, components: image.components, packages, modules: [],
    releaseSha256: release.sha256, shippedDigest, compression: 'none',
    recipe: { disk: DISK_BUILDER_VERSION, assemble: assembleDigest, dpkg: DISK_DPKG_FILTERS, gzip: GZIP_ARGS },
  });
  return { key, dir: join(stateDir, 'cache', 'disk', `${image.suite}-amd64-${key}`), packages };
}

/** The installer: a RAM OS from the same suite and mirror, with the tools that grow the root; the config's modules. */
export function installerImage(image: DiskImageConfig): RootfsImageConfig {
  return { ...image, type: 'rootfs', packages: [...INSTALLER_PACKAGES], modules: [...image.modules] };
}
