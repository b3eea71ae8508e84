/**
 * Copies one built image to a destination: the content-addressed assets (only those missing),
 * the manifest, and for static destinations the scripts of every device using the image plus
 * the shared boot.ipxe, rendered with the base URL devices will use.
 */
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { AssetRef } from '../image/manifest.js';
import { uniqueAssets } from '../image/manifest.js';
import { requireImage } from '../image/require-image.js';
import { assetFile, readManifest } from '../image/store.js';
import { renderChainScript } from '../ipxe/index.js';
import { renderScriptFor } from '../ipxe/for-device.js';
import type { PushTarget } from './types.js';

export interface PushProgress {
  start(totalBytes: number): void;
  advance(bytes: number, label: string): void;
  stop(): void;
}

export interface PushInput {
  readonly config: Config;
  readonly image: string;
  readonly target: PushTarget;
  /** Base URL of the destination as devices see it (static destinations). */
  readonly baseUrl?: string;
  /** Server secret, for the device tokens inside rendered scripts. */
  readonly secret: string;
  readonly progress?: PushProgress;
}

export interface PushResult {
  readonly image: string;
  readonly destination: string;
  readonly uploaded: readonly AssetRef[];
  readonly skipped: readonly AssetRef[];
  readonly manifest: string;
  /** Rendered scripts written (static destinations), relative paths. */
  readonly scripts: readonly string[];
  readonly baseUrl?: string;
}

export async function pushImage(input: PushInput): Promise<PushResult> {
  const { config, target } = input;
  const image = requireImage(config, input.image);
  const manifest = await readManifest(config.server.stateDir, image.name);
  // defined exactly when the destination is static (a directory or bucket)
  const baseUrl = target.isStatic ? staticBaseUrl(target, input.baseUrl) : undefined;
  const assets = uniqueAssets(manifest);
  const missing: AssetRef[] = [];
  const skipped: AssetRef[] = [];
  for (const asset of assets) ((await target.hasAsset(asset)) ? skipped : missing).push(asset);

  input.progress?.start(missing.reduce((sum, a) => sum + a.size, 0));
  try {
    for (const asset of missing) {
      await target.putAsset(asset, assetFile(config.server.stateDir, asset.sha256), (bytes) => input.progress?.advance(bytes, asset.name));
    }
  } finally {
    input.progress?.stop();
  }
  await target.putManifest(manifest);

  const scripts: string[] = [];
  if (baseUrl !== undefined) {
    for (const device of Object.values(config.devices).filter((d) => d.image === image.name)) {
      const script = renderScriptFor(config, device, manifest, { baseUrl });
      await target.putText(`ipxe/${device.name}`, script);
      scripts.push(`ipxe/${device.name}`);
    }
    await target.putText('boot.ipxe', renderChainScript(baseUrl));
    scripts.push('boot.ipxe');
  }
  return {
    image: image.name,
    destination: target.label,
    uploaded: missing,
    skipped,
    manifest: `images/${manifest.name}.json`,
    scripts,
    baseUrl,
  };
}

function staticBaseUrl(target: PushTarget, baseUrl: string | undefined): string {
  if (baseUrl) return baseUrl;
  throw new UsageError(`pushing to ${target.label} needs --base-url: the URL devices will fetch this destination at`);
}
