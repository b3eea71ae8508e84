/** What building a rootfs image needs from the build machine: root, mmdebstrap, and binfmt for foreign arches. */
import { access, readFile } from 'node:fs/promises';
import type { Arch } from '../../config/types.js';
import { BuildError } from '../../errors.js';

/** Debian packages the rootfs builder runs (for the host package list). */
export const ROOTFS_BUILD_PACKAGES = ['mmdebstrap', 'zstd', 'dpkg', 'coreutils'] as const;
/** …and to build for the other architecture (maintainer scripts run under qemu-user; mmdebstrap checks with arch-test). */
export const ROOTFS_FOREIGN_PACKAGES = ['qemu-user-static', 'binfmt-support', 'arch-test'] as const;

const QEMU_BINFMT: Readonly<Record<Arch, string>> = { x86_64: 'qemu-x86_64', arm64: 'qemu-aarch64' };

export function hostArch(): Arch | undefined {
  return process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'arm64' : undefined;
}

export async function checkBuildHost(arch: Arch): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new BuildError('building a rootfs image needs root (mmdebstrap --mode=root, then chroot for depmod and systemctl)', {
      hint: 'run metalboot build as root (e.g. in CI or a build VM)',
    });
  }
  if (arch === hostArch()) return;
  const name = QEMU_BINFMT[arch];
  const state = await readFile(`/proc/sys/fs/binfmt_misc/${name}`, 'utf8').catch(() => undefined);
  const archTest = await access('/usr/bin/arch-test').then(() => true, () => false);
  if (!state?.startsWith('enabled') || !archTest) {
    throw new BuildError(`building an ${arch} rootfs on this ${hostArch() ?? process.arch} machine needs ${name} registered with binfmt_misc: its maintainer scripts run under qemu-user`, {
      hint: `apt-get install ${ROOTFS_FOREIGN_PACKAGES.join(' ')}; mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable ${name}`,
    });
  }
}
