/**
 * The mmdebstrap command line of a rootfs build. Pure (golden-tested). mmdebstrap only installs
 * packages here; everything after that (modules, shipped files, units, packing) is done by
 * finish.ts and pack.ts, where it can be tested and kept reproducible.
 */
import { DPKG_PATH_FILTERS } from './packages.js';

export interface MmdebstrapInput {
  readonly suite: string;
  /** Debian architecture name (amd64, arm64). */
  readonly debArch: string;
  readonly mirror: string;
  readonly components: readonly string[];
  readonly packages: readonly string[];
  /** Local .deb files installed too (the initramfs-tool stand-in). */
  readonly localDebs: readonly string[];
  readonly target: string;
  /** dpkg path filters (default DPKG_PATH_FILTERS: a RAM OS's). */
  readonly dpkgFilters?: readonly string[];
}

export const MMDEBSTRAP_HOOKS = '/usr/share/mmdebstrap/hooks';

export function mmdebstrapArgs(input: MmdebstrapInput): string[] {
  return [
    '--mode=root',
    '--format=directory',
    '--variant=essential',
    `--architectures=${input.debArch}`,
    `--components=${input.components.join(',')}`,
    '--aptopt=APT::Install-Recommends "false"',
    '--aptopt=Acquire::Languages "none"',
    ...(input.dpkgFilters ?? DPKG_PATH_FILTERS).map((filter) => `--dpkgopt=${filter}`),
    // merged /usr without the usrmerge package (which pulls in perl)
    `--hook-dir=${MMDEBSTRAP_HOOKS}/maybe-merged-usr`,
    // makes local .deb files given to --include visible inside the chroot
    `--hook-dir=${MMDEBSTRAP_HOOKS}/file-mirror-automount`,
    ...input.localDebs.map((deb) => `--include=${deb}`),
    `--include=${input.packages.join(',')}`,
    '--',
    input.suite,
    input.target,
    input.mirror,
  ];
}
