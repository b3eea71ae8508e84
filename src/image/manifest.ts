/**
 * The image manifest: what a builder produces and what the renderer, the server and `push` read.
 * Written as JSON to `<stateDir>/images/<name>.json`; asset blobs live at `<stateDir>/assets/<sha256>`
 * and are served at `/assets/<sha256>/<name>`.
 */
import type { Arch, ImageType } from '../config/types.js';
import type { Compression } from '../initrd/compression.js';

export const MANIFEST_SCHEMA = 1;

export interface AssetRef {
  /** File name used in URLs and as the iPXE image name (e.g. `linux`, `initrd.gz`). No slashes. */
  readonly name: string;
  /** Lower-case hex sha256 of the content. */
  readonly sha256: string;
  readonly size: number;
}

export interface ManifestVariant {
  readonly arch: Arch;
  readonly kernel: AssetRef;
  readonly initrd: AssetRef;
  /** Compression of the initrd's main archive (arm64 variants must be 'none'). */
  readonly compression: Compression;
  /**
   * Kernel arguments, device-independent. May hold placeholders the renderer fills per device:
   * {{base_url}} {{device}} {{hostname}} {{token}} {{preseed_url}} {{kickstart_url}} {{events_url}}.
   * The console argument and `initrd=` are added by the renderer, not stored here.
   */
  readonly cmdline: readonly string[];
  /** type disk: the installed system's gzip'd raw disk image, which the installer writes to the disk. */
  readonly disk?: AssetRef;
}

export interface ImageManifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  readonly name: string;
  readonly type: ImageType;
  /** True for images that install to disk (debian, alma, disk): always_pxe goes back off after success. */
  readonly installer: boolean;
  readonly variants: Readonly<Partial<Record<Arch, ManifestVariant>>>;
}

export function assetPath(asset: AssetRef): string {
  return `/assets/${asset.sha256}/${asset.name}`;
}

/** Kernel, initrd (and disk image) of every variant, once per (sha256, name). */
export function uniqueAssets(manifest: ImageManifest): AssetRef[] {
  const seen = new Map<string, AssetRef>();
  for (const variant of Object.values(manifest.variants)) {
    for (const asset of [variant!.kernel, variant!.initrd, ...(variant!.disk ? [variant!.disk] : [])]) seen.set(`${asset.sha256}/${asset.name}`, asset);
  }
  return [...seen.values()];
}
