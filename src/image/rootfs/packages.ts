/**
 * What every rootfs image holds, before the config's own `packages`: what the shipped units need
 * (systemd + networkd + resolved, udev, kmod, OpenSSH, curl + jq for the "booted" report, iproute2
 * for its addresses) and the kernel. Nothing else: no initramfs-tools (the root filesystem IS the
 * initramfs), no firmware, no docs, man pages or locales.
 */
import type { Arch } from '../../config/types.js';

export const BASE_PACKAGES: readonly string[] = [
  'systemd', 'systemd-sysv', 'systemd-resolved', 'udev', 'kmod',
  'openssh-server', 'curl', 'ca-certificates', 'jq', 'iproute2',
];

export const KERNEL_PACKAGE: Readonly<Record<Arch, string>> = { x86_64: 'linux-image-amd64', arm64: 'linux-image-arm64' };

/** Base set, kernel, then the config's extras; each once, in that order. */
export function packageSet(arch: Arch, extra: readonly string[]): string[] {
  return [...new Set([...BASE_PACKAGES, KERNEL_PACKAGE[arch], ...extra])];
}

/** dpkg path filters: what is dropped from every package as it is unpacked (licences are kept). */
export const DPKG_PATH_FILTERS: readonly string[] = [
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/locale/*',
  'path-include=/usr/share/locale/locale.alias',
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/lintian/*',
  'path-exclude=/usr/share/bash-completion/*',
  'path-exclude=/usr/share/zsh/*',
  'path-exclude=/usr/share/initramfs-tools/*', // udev's and kmod's hooks for a tool that is not there
];

/**
 * Kernel modules kept by default (module names, or paths under kernel/), plus everything they
 * depend on: server NICs, bonding and VLANs, virtio, common disk controllers and file systems.
 * The rest (GPUs, sound, media, wireless, USB gadgets…) is dropped: it is most of the 400 MB.
 */
export const DEFAULT_MODULES: readonly string[] = [
  'drivers/net/ethernet', 'drivers/net/bonding', 'drivers/net/phy', 'drivers/net/mdio', 'drivers/net/pcs',
  'virtio_net', 'tun', 'veth', 'macvlan', 'ipvlan', 'vxlan', 'dummy', '8021q', 'bridge',
  'drivers/virtio', 'virtio_blk', 'virtio_scsi', 'nvme', 'ahci', 'sd_mod', 'sr_mod', 'mpt3sas', 'megaraid_sas',
  'dm_mod', 'raid1', 'raid0', 'ext4', 'xfs', 'vfat', 'nls_cp437', 'nls_ascii', 'nls_utf8', 'overlay', 'squashfs',
  'ipmi_si', 'ipmi_devintf', 'crc32c_generic', 'crc32c_intel',
];
