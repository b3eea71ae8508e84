/**
 * A push destination: a directory, an S3-compatible bucket, or a running metalboot server.
 * Static destinations (directory, bucket) have no renderer, so `push` also writes each device's
 * rendered script there; a server renders its own.
 *
 * Static layout (under the directory or bucket prefix; the base URL points here):
 *   assets/<sha256>/<name>   images/<image>.json   ipxe/<device>   boot.ipxe
 */
import type { AssetRef, ImageManifest } from '../image/manifest.js';
import { assetPath } from '../image/manifest.js';

export interface PushTarget {
  /** Human-readable destination, without credentials. */
  readonly label: string;
  /** True when the destination cannot render scripts (push writes them). */
  readonly isStatic: boolean;
  /** Whether the asset is already there under this name with this size. */
  hasAsset(asset: AssetRef): Promise<boolean>;
  /** Uploads the blob at `file`; calls `onBytes` with each chunk's size. Atomic where the destination allows. */
  putAsset(asset: AssetRef, file: string, onBytes: (bytes: number) => void): Promise<void>;
  putManifest(manifest: ImageManifest): Promise<void>;
  /** Static destinations only: writes a small text file (scripts) at `path` (relative, slash-separated). */
  putText(path: string, text: string): Promise<void>;
  close?(): Promise<void>;
}

export function staticAssetPath(asset: AssetRef): string {
  return assetPath(asset).slice(1); // relative to the directory or bucket prefix
}
