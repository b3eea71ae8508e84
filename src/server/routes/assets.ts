/**
 * GET/HEAD /assets/<sha256>/<name>: immutable, content-addressed blobs from `<stateDir>/assets/<sha256>`.
 * The route table sends everything under /assets/ here; the raw request target (before any
 * decoding) must then match one strict pattern, and the file is derived from the hash alone, so
 * `..`, encoded dots or slashes, NUL bytes and absolute paths never reach the filesystem; the blob is
 * opened with O_NOFOLLOW and O_NONBLOCK (a FIFO planted there cannot block a thread) and must be a
 * regular file (no symlinks, FIFOs or devices) (open-blob.ts). Blobs that fit the memory cache are
 * read into it once, on first request; every body is streamed with backpressure by a BlobReader
 * (from the cached buffer while cached, else from disk), so a slow reader holds a chunk, not a blob.
 * Conditional and range headers are decided by conditional.ts.
 */
import { pipeline } from 'node:stream';
import { ASSET_NAME, assetFile, SHA256_HEX } from '../../image/store.js';
import { recordAssetFetch } from '../attribution.js';
import { BlobReader } from '../blob-reader.js';
import type { BlobSource } from '../blob-reader.js';
import { openBlob } from '../open-blob.js';
import { decideAssetAnswer } from '../conditional.js';
import { requestMeta } from '../logging.js';
import { sendError } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

/** /assets/<segment>/<segment>, matched raw; the segments are then checked against the store's own rules. */
const ASSET_PATH = /^\/assets\/([^/]+)\/([^/]+)$/;

export const assetsRoute: Route = { methods: ['GET', 'HEAD'], path: '/assets/*', errors: 'text', handler: serveAsset };

async function serveAsset(call: RouteCall): Promise<void> {
  const { ctx, req } = call;
  const query = call.target.indexOf('?');
  const match = ASSET_PATH.exec(query < 0 ? call.target : call.target.slice(0, query));
  if (!match || !SHA256_HEX.test(match[1]!) || !ASSET_NAME.test(match[2]!)) return notFound(call);
  const sha256 = match[1]!;
  const file = assetFile(ctx.stateDir, sha256);
  const cached = ctx.assets.get(sha256);
  if (cached) return respond(call, { cache: ctx.assets, sha256, file }, cached.length);
  const blob = await openBlob(file);
  if (!blob) return notFound(call);
  if (req.method === 'GET' && ctx.assets.fits(blob.size) && (await ctx.assets.load(sha256, file, blob.size))) {
    await blob.handle.close();
    return respond(call, { cache: ctx.assets, sha256, file }, blob.size);
  }
  return respond(call, { cache: ctx.assets, sha256, file, handle: blob.handle }, blob.size);
}

/** Answers with the blob's bytes streamed by a BlobReader (from the cache while cached, else the file). */
function respond(call: RouteCall, source: BlobSource, size: number): void {
  const sent = send(call, source.sha256, size, (start, end) => {
    pipeline(new BlobReader(source, start, end), call.res, () => undefined);
  });
  if (!sent) void source.handle?.close();
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

function notFound(call: RouteCall): void {
  sendError(call.res, 404, 'not found', call.route.errors);
}
