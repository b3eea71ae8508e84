/**
 * Who fetched an asset. Assets are shared between devices, so an asset fetch is attributed to the
 * device whose script the same client address fetched last, and classified as 'kernel' or
 * 'initrd' by finding its sha256 in that device's image manifest ('asset' otherwise).
 */
import type { IncomingMessage } from 'node:http';
import type { BootEventKind } from '../events/types.js';
import type { ImageManifest } from '../image/manifest.js';
import type { ServerContext } from './context.js';

/** Device name used for fetches from a client that never fetched a device script. */
export const UNKNOWN_DEVICE = '(unknown)';

export function recordAssetFetch(ctx: ServerContext, req: IncomingMessage, sha256: string, path: string, bytes: number): void {
  const client = ctx.clientOf(req);
  const device = ctx.lastDeviceByClient.get(client);
  const imageName = device === undefined || !Object.hasOwn(ctx.config.devices, device) ? undefined : ctx.config.devices[device]?.image;
  const manifest = imageName === undefined ? undefined : ctx.manifests.peek(ctx.stateDir, imageName);
  // the path as stored: no query (a client may append anything there, a token included)
  const query = path.indexOf('?');
  ctx.events.record({ device: device ?? UNKNOWN_DEVICE, kind: classifyAsset(manifest, sha256), path: query < 0 ? path : path.slice(0, query), bytes, client });
}

export function classifyAsset(manifest: ImageManifest | undefined, sha256: string): BootEventKind {
  for (const variant of Object.values(manifest?.variants ?? {})) {
    if (variant?.kernel.sha256 === sha256) return 'kernel';
    if (variant?.initrd.sha256 === sha256) return 'initrd';
  }
  return 'asset';
}
