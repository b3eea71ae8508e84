/**
 * The package sets of a `disk` image. Pure data.
 * - The INSTALLED system: the RAM image's base set (what the shipped metalboot units need), a kernel
 *   with initramfs-tools (a disk root needs an initramfs), GRUB's BIOS and EFI modules and
 *   grub-mkimage (the -bin packages: nothing in them writes to a disk at install), e2fsprogs; then
 *   the config's `packages`.
 * - The INSTALLER (a RAM OS built by the rootfs machinery): its base set plus sfdisk (fdisk) to move
 *   the GPT backup header and grow the root partition, and e2fsck/resize2fs (e2fsprogs) to grow the
 *   root file system. Added for the disk type only: the plain RAM image does not partition disks.
 */
import { BASE_PACKAGES, DPKG_PATH_FILTERS, KERNEL_PACKAGE } from '../rootfs/packages.js';

export const DISK_SYSTEM_PACKAGES: readonly string[] = [
  ...BASE_PACKAGES, KERNEL_PACKAGE.x86_64, 'initramfs-tools', 'grub-pc-bin', 'grub-efi-amd64-bin', 'e2fsprogs',
];

export const INSTALLER_PACKAGES: readonly string[] = ['fdisk', 'e2fsprogs'];

/** The installed system's packages: the set above, then the config's extras; each once. */
export function diskPackageSet(extra: readonly string[]): string[] {
  return [...new Set([...DISK_SYSTEM_PACKAGES, ...extra])];
}

/** The RAM OS's filters, but initramfs-tools keeps its hooks: the installed kernel needs an initramfs. */
export const DISK_DPKG_FILTERS: readonly string[] = DPKG_PATH_FILTERS.filter((filter) => !filter.includes('/usr/share/initramfs-tools/'));

/** The asset name of the gzip'd raw disk image, and the kernel argument that hands its URL to the installer. */
export const DISK_ASSET_NAME = 'disk.raw.gz';
export const DISK_KERNEL_ARG = 'metalboot.disk';
