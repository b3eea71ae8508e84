/**
 * How a content-addressed file is answered (the one static-file path: /assets and /mirror): a
 * strong ETag from its sha256, conditional and range headers decided by conditional.ts, the bytes
 * sent by a BlobReader (blob-reader.ts: a chunk at a time with backpressure, copied from the memory
 * cache, asset-cache.ts keyed by sha256, while cached, else read from the file). The file is opened
 * with O_NOFOLLOW and O_NONBLOCK and must be a regular file (open-blob.ts).
 */
import { pipeline } from 'node:stream';
import { BlobReader } from './blob-reader.js';
import type { BlobSource } from './blob-reader.js';
import { decideAssetAnswer } from './conditional.js';
import { requestMeta } from './logging.js';
import { openBlob } from './open-blob.js';
import { sendError } from './respond.js';
import type { RouteCall } from './route.js';

/** Cache-Control of bytes that never change under their URL (content-addressed paths). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface BlobAnswer {
  readonly sha256: string;
  /** The file holding those bytes (opened without following a final symlink). */
  readonly file: string;
  /** Cache-Control: IMMUTABLE for content-addressed URLs; `no-cache` (revalidate by ETag) otherwise. */
  readonly cacheControl: string;
  /** Called once the body of a GET was sent in full, with its length. */
  readonly onSent?: (bytes: number) => void;
}

/** Answers GET/HEAD with the blob; false (nothing sent) when the file is missing or not a regular file. */
export async function answerBlob(call: RouteCall, blob: BlobAnswer): Promise<boolean> {
  const { ctx, req } = call;
  const source = { cache: ctx.assets, sha256: blob.sha256, file: blob.file };
  const cached = ctx.assets.get(blob.sha256);
  if (cached) {
    respond(call, blob, source, cached.length);
    return true;
  }
  const opened = await openBlob(blob.file);
  if (!opened) return false;
  if (req.method === 'GET' && ctx.assets.fits(opened.size) && (await ctx.assets.load(blob.sha256, blob.file, opened.size))) {
    await opened.handle.close();
    respond(call, blob, source, opened.size);
    return true;
  }
  respond(call, blob, { ...source, handle: opened.handle }, opened.size);
  return true;
}

/** Sends the bytes through a BlobReader: from the cache while cached, else the file; a chunk at a time. */
function respond(call: RouteCall, blob: BlobAnswer, source: BlobSource, size: number): void {
  const sent = send(call, blob, size, (start, end) => {
    pipeline(new BlobReader(source, start, end), call.res, () => undefined);
  });
  if (!sent) void source.handle?.close();
}

/**
 * Writes status and headers, then calls `body(start, end)` for a GET with a body.
 * Returns false when no body was sent (HEAD, 304, 412, 416, empty).
 */
function send(call: RouteCall, blob: BlobAnswer, size: number, body: (start: number, end: number) => void): boolean {
  const { req, res } = call;
  const etag = `"${blob.sha256}"`;
  res.setHeader('Cache-Control', blob.cacheControl);
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
  const { onSent } = blob;
  if (onSent) res.once('finish', () => onSent(length));
  body(start, end);
  return true;
}
