/**
 * GET/HEAD /assets/<sha256>/<name>: immutable, content-addressed blobs from `<stateDir>/assets/<sha256>`.
 * The route table sends everything under /assets/ here; the raw request target (before any
 * decoding) must then match one strict pattern, and the file is derived from the hash alone, so
 * `..`, encoded dots or slashes, NUL bytes and absolute paths never reach the filesystem; the blob is
 * opened with O_NOFOLLOW and must be a regular file (no symlinks). Blobs that fit the memory cache
 * are answered from it (read once, on first request); larger ones stream from disk in 1 MiB reads.
 * Conditional and range headers are decided by conditional.ts.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { ASSET_NAME, assetFile, SHA256_HEX } from '../../image/store.js';
import { recordAssetFetch } from '../attribution.js';
import { decideAssetAnswer } from '../conditional.js';
import { requestMeta } from '../logging.js';
import { sendError } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

/** /assets/<segment>/<segment>, matched raw; the segments are then checked against the store's own rules. */
const ASSET_PATH = /^\/assets\/([^/]+)\/([^/]+)$/;
const READ_SIZE = 1 << 20;

export const assetsRoute: Route = { methods: ['GET', 'HEAD'], path: '/assets/*', errors: 'text', handler: serveAsset };

async function serveAsset(call: RouteCall): Promise<void> {
  const { ctx, req, res } = call;
  const query = call.target.indexOf('?');
  const match = ASSET_PATH.exec(query < 0 ? call.target : call.target.slice(0, query));
  if (!match || !SHA256_HEX.test(match[1]!) || !ASSET_NAME.test(match[2]!)) return notFound(call);
  const sha256 = match[1]!;
  const cached = ctx.assets.get(sha256);
  if (cached) {
    send(call, sha256, cached.length, (start, end) => res.end(cached.subarray(start, end + 1)));
    return;
  }
  const file = assetFile(ctx.stateDir, sha256);
  const blob = await openBlob(file);
  if (!blob) return notFound(call);
  if (req.method === 'GET' && ctx.assets.fits(blob.size)) {
    await blob.handle.close();
    const data = await ctx.assets.load(sha256, file, blob.size);
    if (data) {
      send(call, sha256, data.length, (start, end) => res.end(data.subarray(start, end + 1)));
      return;
    }
    const reopened = await openBlob(file);
    if (!reopened) return notFound(call);
    return stream(call, sha256, reopened.handle, reopened.size);
  }
  return stream(call, sha256, blob.handle, blob.size);
}

/** Streams a blob too large for the memory cache straight from its open file, in 1 MiB reads. */
function stream(call: RouteCall, sha256: string, handle: FileHandle, size: number): void {
  const sent = send(call, sha256, size, (start, end) => {
    pipeline(handle.createReadStream({ start, end, highWaterMark: READ_SIZE }), call.res, () => undefined);
  });
  if (!sent) void handle.close();
}

/**
 * Writes status and headers, then calls `body(start, end)` for a GET with a body.
 * Returns false when no body was sent (HEAD, 304, 412, 416, empty).
 */
function send(call: RouteCall, sha256: string, size: number, body: (start: number, end: number) => void): boolean {
  const { ctx, req, res } = call;
  const etag = `"${sha256}"`;
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.setHeader('ETag', etag);
  res.setHeader('Accept-Ranges', 'bytes');
  const answer = decideAssetAnswer(req.headers, etag, size);
  if (answer.status === 304) {
    res.writeHead(304).end();
    return false;
  }
  if (answer.status === 412) {
    sendError(res, 412, `If-Match names no tag of this asset (its ETag is ${etag})`, call.route.errors);
    return false;
  }
  if (answer.status === 416) {
    sendError(res, 416, `range not satisfiable: the asset has ${size} bytes`, call.route.errors, { 'Content-Range': `bytes */${size}` });
    return false;
  }
  const { start, end } = answer;
  const length = size === 0 ? 0 : end - start + 1;
  res.statusCode = answer.status;
  if (answer.status === 206) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', String(length));
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return false;
  }
  requestMeta(res).bytes = length;
  res.once('finish', () => recordAssetFetch(ctx, req, sha256, call.target, length));
  body(start, end);
  return true;
}

async function openBlob(file: string): Promise<{ handle: FileHandle; size: number } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
  const stats = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!stats.isFile()) {
    await handle.close();
    return undefined;
  }
  return { handle, size: stats.size };
}

function notFound(call: RouteCall): void {
  sendError(call.res, 404, 'not found', call.route.errors);
}
