/**
 * GET/HEAD /assets/<sha256>/<name>: immutable, content-addressed blobs from `<stateDir>/assets/<sha256>`.
 * The request path is matched raw (before any decoding) against one strict pattern, and the file is
 * derived from the hash alone, so `..`, encoded dots or slashes, NUL bytes and absolute paths never
 * reach the filesystem; the blob is opened with O_NOFOLLOW and must be a regular file (no symlinks).
 * Blobs that fit the memory cache are answered from it (read once, on first request); larger ones
 * stream from disk in 1 MiB reads.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ASSET_NAME, assetFile, SHA256_HEX } from '../image/store.js';
import type { ServerContext } from './context.js';
import { recordAssetFetch } from './attribution.js';
import { requestMeta } from './logging.js';
import { etagMatches, parseRange } from './range.js';

/** /assets/<segment>/<segment>, matched raw; the segments are then checked against the store's own rules. */
const ASSET_PATH = /^\/assets\/([^/]+)\/([^/]+)$/;
const READ_SIZE = 1 << 20;

/** Answers anything under /assets (raw node request/response); returns false for other paths. */
export function serveAsset(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, onError: (error: unknown) => void): boolean {
  const raw = req.url ?? '';
  if (!raw.startsWith('/assets/') && !raw.startsWith('/assets?') && raw !== '/assets') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
    return true;
  }
  const query = raw.indexOf('?');
  const match = ASSET_PATH.exec(query < 0 ? raw : raw.slice(0, query));
  if (!match || !SHA256_HEX.test(match[1]!) || !ASSET_NAME.test(match[2]!)) return notFound(res);
  const sha256 = match[1]!;
  const cached = ctx.assets.get(sha256);
  if (cached) {
    send(ctx, req, res, sha256, cached.length, (start, end) => res.end(cached.subarray(start, end + 1)));
    return true;
  }
  const file = assetFile(ctx.stateDir, sha256);
  void openBlob(file).then(async (blob) => {
    if (!blob) return notFound(res);
    const { handle, size } = blob;
    if (req.method === 'GET' && ctx.assets.fits(size)) {
      await handle.close();
      const data = await ctx.assets.load(sha256, file, size);
      if (data) {
        send(ctx, req, res, sha256, data.length, (start, end) => res.end(data.subarray(start, end + 1)));
        return;
      }
      const reopened = await openBlob(file);
      if (!reopened) return notFound(res);
      return stream(ctx, req, res, sha256, reopened.handle, reopened.size);
    }
    return stream(ctx, req, res, sha256, handle, size);
  }).catch(onError);
  return true;
}

/** Streams a blob too large for the memory cache straight from its open file, in 1 MiB reads. */
function stream(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, sha256: string, handle: FileHandle, size: number): void {
  const sent = send(ctx, req, res, sha256, size, (start, end) => {
    pipeline(handle.createReadStream({ start, end, highWaterMark: READ_SIZE }), res, () => undefined);
  });
  if (!sent) void handle.close();
}

/**
 * Writes status and headers, then calls `body(start, end)` for a GET with a body.
 * Returns false when no body was sent (HEAD, 304, 416).
 */
function send(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  sha256: string,
  size: number,
  body: (start: number, end: number) => void,
): boolean {
  const etag = `"${sha256}"`;
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.setHeader('ETag', etag);
  res.setHeader('Accept-Ranges', 'bytes');
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.writeHead(304).end();
    return false;
  }
  const ifRange = req.headers['if-range'];
  const range = ifRange !== undefined && ifRange !== etag ? ({ kind: 'full' } as const) : parseRange(req.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${size}`);
    res.writeHead(416, { 'Content-Type': 'text/plain' }).end(`range not satisfiable: the asset has ${size} bytes\n`);
    return false;
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  res.statusCode = range.kind === 'partial' ? 206 : 200;
  if (range.kind === 'partial') res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', String(length));
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return false;
  }
  requestMeta(res).bytes = length;
  res.once('finish', () => recordAssetFetch(ctx, req, sha256, req.url ?? '', length));
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
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    return undefined;
  }
  return { handle, size: stats.size };
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  return true;
}
