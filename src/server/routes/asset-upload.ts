/**
 * PUT /api/assets/<sha256> (bearer METALBOOT_TOKEN), used by `metalboot push http(s)://server`: the
 * body is hashed while it streams into tmp/ and renamed into place only when the sha256 matches, so
 * a reader never sees a partial asset. 200 when already stored, 201 stored, 400 bad hash, 413 larger
 * than the server's limit (declared or streamed), 422 the body's hash differs.
 */
import { rm, stat } from 'node:fs/promises';
import { assetFile, commitAsset, SHA256_HEX, streamToTmp } from '../../image/store.js';
import { checkBodyHeaders, limitBody } from '../body.js';
import { sendError, sendJson } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

export const assetUploadRoute: Route = { methods: ['PUT'], path: '/api/assets/:sha256', errors: 'json', auth: 'write', handler: uploadAsset };

async function uploadAsset(call: RouteCall): Promise<void> {
  const { ctx, req, res } = call;
  const sha256 = call.params.sha256 ?? '';
  if (!SHA256_HEX.test(sha256)) {
    return sendError(res, 400, `${JSON.stringify(sha256)} is not a sha256 (64 lower-case hex digits)`, call.route.errors);
  }
  checkBodyHeaders(req, ctx.maxUploadBytes);
  const existing = await stat(assetFile(ctx.stateDir, sha256)).catch(() => undefined);
  if (existing?.isFile()) {
    sendJson(res, 200, { sha256, size: existing.size, existed: true }, { Connection: 'close' });
    return;
  }
  const { tmp, size, sha256: actual } = await streamToTmp(ctx.stateDir, `upload-${sha256}`, limitBody(req, res, ctx.maxUploadBytes));
  if (actual !== sha256) {
    await rm(tmp, { force: true });
    return sendError(res, 422, `the body's sha256 is ${actual}, not ${sha256} (${size} bytes received)`, call.route.errors);
  }
  try {
    await commitAsset(ctx.stateDir, tmp, sha256);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  sendJson(res, 201, { sha256, size });
}
