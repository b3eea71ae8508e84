/**
 * A stand-in for initramfs-tools: Debian's kernel package depends on `linux-initramfs-tool`, but a
 * rootfs image needs no initramfs generator (its whole root filesystem is the initramfs). This
 * empty package provides that name, so apt installs neither initramfs-tools nor busybox, and the
 * kernel's postinst builds no initrd. Built with dpkg-deb, reproducibly.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../../errors.js';

export const NO_INITRAMFS_PACKAGE = 'metalboot-no-initramfs';

export const NO_INITRAMFS_CONTROL = [
  `Package: ${NO_INITRAMFS_PACKAGE}`,
  'Version: 1',
  'Architecture: all',
  'Maintainer: metalboot <metalboot@localhost>',
  'Provides: linux-initramfs-tool',
  'Priority: optional',
  'Section: admin',
  'Description: no initramfs generator: metalboot boots the root file system as the initramfs',
  '',
].join('\n');

/** Writes `<dir>/metalboot-no-initramfs.deb` and returns its path. */
export async function buildNoInitramfsDeb(dir: string): Promise<string> {
  const tree = join(dir, 'no-initramfs');
  await mkdir(join(tree, 'DEBIAN'), { recursive: true });
  await writeFile(join(tree, 'DEBIAN', 'control'), NO_INITRAMFS_CONTROL);
  const deb = join(dir, `${NO_INITRAMFS_PACKAGE}.deb`);
  try {
    await execa('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', tree, deb], { env: { SOURCE_DATE_EPOCH: '0' } });
  } catch (error) {
    throw new BuildError(`dpkg-deb could not build the ${NO_INITRAMFS_PACKAGE} stand-in: ${(error as Error).message}`, { cause: error, hint: 'dpkg-deb comes with dpkg' });
  }
  return deb;
}
