/**
 * GET/HEAD /assets/<sha256>/<name>: immutable, content-addressed blobs from `<stateDir>/assets/<sha256>`.
 * The route table sends everything under /assets/ here; the raw request target (before any
 * decoding) must then match one strict pattern, and the file is derived from the hash alone, so
 * `..`, encoded dots or slashes, NUL bytes and absolute paths never reach the filesystem. The
 * answer (memory cache or stream, conditional and range headers) is blob-answer.ts's.
 */
import { ASSET_NAME, assetFile, SHA256_HEX } from '../../image/store.js';
import { recordAssetFetch } from '../attribution.js';
import { answerBlob, IMMUTABLE } from '../blob-answer.js';
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
  const sent = await answerBlob(call, {
    sha256,
    file: assetFile(ctx.stateDir, sha256),
    cacheControl: IMMUTABLE,
    onSent: (bytes) => recordAssetFetch(ctx, req, sha256, call.target, bytes),
  });
  if (!sent) notFound(call);
}

function notFound(call: RouteCall): void {
  sendError(call.res, 404, 'not found', call.route.errors);
}
