/** What building a rootfs image needs from the build machine: root, mmdebstrap, and binfmt for foreign arches. */
import { access, readFile } from 'node:fs/promises';
import type { Arch } from '../../config/types.js';
import { BuildError } from '../../errors.js';
import { FOREIGN_ARCH_BUILD_PACKAGES } from '../../host/packages.js';


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
      hint: `apt-get install ${FOREIGN_ARCH_BUILD_PACKAGES.map((p) => p.name).join(' ')}; mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable ${name}`,
    });
  }
}
