/**
 * The validated, normalized shape of metalboot.yaml. Produced only by `normalizeConfig`
 * (src/config/normalize.ts); everything downstream may trust it. Paths are absolute.
 */

import type { BmcConfig } from './bmc.js';

export type { BmcConfig } from './bmc.js';
/** Architectures, listed once: the type, the config validator and the manifest schema use this list. */
export const ARCHES = ['x86_64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

/** Image types, listed once (type, config validator, manifest schema). */
export const IMAGE_TYPES = ['debian', 'alma', 'linuxkit', 'files', 'rootfs', 'disk'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export type Firmware = 'bios' | 'uefi';

export interface ServerConfig {
  /** Where `metalboot serve` listens. Default 127.0.0.1:8080. */
  readonly listen: { readonly host: string; readonly port: number };
  /** Base URL devices use in their scripts, without trailing slash. Default http://<listen>. */
  readonly publicUrl: string;
  /** Whether `public_url` was written in the config (false: publicUrl was derived from listen). */
  readonly publicUrlExplicit: boolean;
  /** Where built images live: `<stateDir>/assets/<sha256>` blobs and `<stateDir>/images/<name>.json` manifests. */
  readonly stateDir: string;
  /** Bytes of hot assets kept in memory by the server. Default 256 MiB. */
  readonly cacheBytes: number;
}

export interface BondConfig {
  readonly mode: string;              // 802.3ad
  readonly lacpRate: 'slow' | 'fast'; // slow
  readonly miimon: number;            // 100
  readonly xmitHashPolicy: string;    // layer3+4
}

export interface ImageConfigBase {
  readonly name: string;
  readonly type: ImageType;
  /** Architectures this image is built for. Default ['x86_64']. */
  readonly arches: readonly Arch[];
  /** Extra kernel arguments (tokens) for every device booting this image. */
  readonly kernelArgs: readonly string[];
  /** Console argument override per arch; default x86_64 `console=ttyS1,115200n8`, arm64 `console=ttyAMA0,115200`. */
  readonly console: Readonly<Partial<Record<Arch, string>>>;
  /** Directory of Intel (`intel-ucode/` style files) and/or AMD (`microcode_amd*.bin`) microcode for the early cpio. */
  readonly microcode?: string;
  /** Directory whose files are appended to the initrd as an overlay cpio. */
  readonly overlay?: string;
}

export interface DebianImageConfig extends ImageConfigBase {
  readonly type: 'debian';
  readonly release: string;           // bookworm
  /** http(s) mirror URL (…/debian) or a local directory laid out like a mirror. */
  readonly mirror?: string;
  /** A local directory holding `linux` and `initrd.gz` per arch (e.g. the debian-installer-12-netboot-amd64 package). */
  readonly netbootDir?: string;
  /** Preseed template path. */
  readonly preseed?: string;
  /** `inject`: put /preseed.cfg into the initrd; `url`: point `url=` at the server's per-device preseed. */
  readonly preseedMode: 'inject' | 'url';
  /** Installs use the partial mirror built by `metalboot mirror` (src/config/local-mirror.ts); normalize always sets it. */
  readonly localMirror?: boolean;
}

export interface AlmaImageConfig extends ImageConfigBase {
  readonly type: 'alma';
  readonly version: string;           // 9
  readonly mirror: string;            // https://repo.almalinux.org/almalinux
  readonly kickstart?: string;        // template path
}

export interface LinuxkitImageConfig extends ImageConfigBase {
  readonly type: 'linuxkit';
  /** LinuxKit YAML to build with the `linuxkit` binary… */
  readonly yaml?: string;
  /** …or an existing output: a directory with <name>-kernel/-initrd.img/-cmdline, or a tar-kernel-initrd tarball. */
  readonly output?: string;
}

export interface FilesVariantConfig {
  readonly kernel: string;            // path or URL
  readonly initrd: string;            // path or URL
  readonly cmdline: readonly string[];
}

export interface FilesImageConfig extends ImageConfigBase {
  readonly type: 'files';
  readonly variants: Readonly<Partial<Record<Arch, FilesVariantConfig>>>;
}

/** A RAM OS built from Debian packages (src/image/rootfs/): the whole root filesystem is the initramfs. */
export interface RootfsImageConfig extends ImageConfigBase {
  readonly type: 'rootfs';
  readonly suite: string;                 // bookworm
  /** http(s):// or file:// URL of a Debian mirror (a snapshot.debian.org URL pins the package set). */
  readonly mirror: string;
  readonly components: readonly string[]; // ['main']
  /** Packages installed on top of the base set metalboot needs (src/image/rootfs/packages.ts). */
  readonly packages: readonly string[];
  /** Kernel modules kept on top of the default set: module names (`nicvf`) or paths under kernel/ (`drivers/net/ethernet/intel`). */
  readonly modules: readonly string[];
}

/**
 * An image-based install (src/image/disk/): a RAM installer (the rootfs machinery) that writes a
 * disk image of an installed Debian (GPT, BIOS + UEFI GRUB, ext4 root) to the device's disk.
 * Same fields as rootfs: `packages` are the INSTALLED system's extras, `modules` the installer's. x86_64 only.
 */
export interface DiskImageConfig extends Omit<RootfsImageConfig, 'type'> {
  readonly type: 'disk';
}

export type ImageConfig = DebianImageConfig | AlmaImageConfig | LinuxkitImageConfig | FilesImageConfig | RootfsImageConfig | DiskImageConfig;

export type AlwaysPxe = 'auto' | boolean;

export interface DeviceConfig {
  readonly name: string;
  /** Equinix Metal device UUID (metal provider). */
  readonly metalId?: string;
  /** Lower-case, colon-separated MACs. */
  readonly macs: readonly string[];
  /** Lower-case SMBIOS UUID. */
  readonly uuid?: string;
  readonly image: string;
  readonly hostname: string;
  readonly kernelArgs: readonly string[];
  readonly bond: BondConfig;
  readonly alwaysPxe: AlwaysPxe;
  readonly sshKeys: readonly string[];
  /** Firmware for the QEMU provider (Metal decides by itself); the Redfish provider's boot mode. */
  readonly firmware?: Firmware;
  /** The device's BMC (Redfish provider). */
  readonly bmc?: BmcConfig;
}

export interface MetalConfig {
  readonly projectId?: string;
  readonly apiUrl?: string;
}

export interface Config {
  /** Absolute path of the file this came from (or '<inline>'). */
  readonly file: string;
  /** Directory relative paths were resolved against. */
  readonly dir: string;
  readonly server: ServerConfig;
  readonly images: Readonly<Record<string, ImageConfig>>;
  readonly devices: Readonly<Record<string, DeviceConfig>>;
  readonly metal: MetalConfig;
}

export const DEFAULT_BOND: BondConfig = { mode: '802.3ad', lacpRate: 'slow', miimon: 100, xmitHashPolicy: 'layer3+4' };
export const DEFAULT_CONSOLE: Readonly<Record<Arch, string>> = {
  x86_64: 'console=ttyS1,115200n8',
  arm64: 'console=ttyAMA0,115200',
};
