/**
 * The Debian packages an install of this image puts on the target, as names for apt to resolve.
 * Pure. One resolution per boot-loader flavour (grub-pc and grub-efi-amd64 conflict, and one
 * image boots under BIOS or UEFI), each:
 *   - the base system debootstrap installs: every package of priority required or important;
 *   - the kernel metapackage base-installer installs (linux-image-<arch>);
 *   - what the preseed asks for: tasksel tasks (task-<name>; `standard` = every priority-standard
 *     package) and pkgsel/include;
 *   - what installer components add by themselves (`apt-install … || true` in d-i), when the
 *     suite has them: see INSTALLER_EXTRAS.
 */
import type { PackageEntry } from './packages.js';
import type { PreseedAsks } from './preseed-asks.js';

/** Packages d-i components install into the target on their own (bookworm's scripts, by component). */
export const INSTALLER_EXTRAS: readonly string[] = [
  'initramfs-tools', 'busybox', 'zstd',            // base-installer (library.sh): the initramfs generator and its helpers
  'keyboard-configuration', 'console-setup',       // console-setup's base-installer.d hook
  'locales',                                       // localechooser post-base-installer.d
  'udev', 'pciutils', 'usbutils', 'eject',         // hw-detect
  'discover',                                      // hw-detect pre-pkgsel.d/20install-hwpackages
  'qemu-guest-agent',                              // hw-detect finish-install.d/08hw-detect, when it runs in QEMU/KVM
  'laptop-detect', 'popularity-contest',           // pkgsel pre-pkgsel.d (popcon is installed, then asked)
  'installation-report',                           // save-logs pre-pkgsel.d
  'tasksel', 'tasksel-data',                       // pkgsel runs tasksel in the target
  'os-prober', 'efibootmgr',                       // grub-installer
];

/** Boot-loader flavours per Debian architecture, each resolved separately: the first name is required, the signed
 * GRUB and shim (Secure Boot) join when the suite has them, as grub-installer installs them when it can. */
export const BOOTLOADERS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  amd64: [['grub-pc'], ['grub-efi-amd64', 'grub-efi-amd64-signed', 'shim-signed']],
  arm64: [['grub-efi-arm64', 'grub-efi-arm64-signed', 'shim-signed']],
};

export interface WantedSets {
  /** Each list is one apt resolution; the mirror carries the union. */
  readonly sets: readonly (readonly string[])[];
  /** Names the install needs that the suite does not have. */
  readonly absent: readonly string[];
}

export function wantedPackages(index: readonly PackageEntry[], debArch: string, asks: PreseedAsks): WantedSets {
  const names = new Set(index.map((entry) => entry.name));
  const byPriority = (...priorities: string[]): string[] => index.filter((entry) => priorities.includes(entry.priority)).map((entry) => entry.name);
  const tasks = asks.tasks.flatMap((task) => (task === 'standard' ? byPriority('standard') : [`task-${task}`]));
  const required = [`linux-image-${debArch}`, ...tasks, ...asks.packages];
  const loaders = BOOTLOADERS[debArch] ?? [];
  const absent = [...required, ...loaders.map((loader) => loader[0]!)].filter((name) => !names.has(name));
  const common = [...new Set([...byPriority('required', 'important'), ...required, ...INSTALLER_EXTRAS.filter((name) => names.has(name))])].sort();
  const sets = (loaders.length > 0 ? loaders : [[]]).map((loader) => [...common, ...loader.filter((name) => names.has(name))]);
  return { sets, absent: [...new Set(absent)].sort() };
}
