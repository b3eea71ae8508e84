/**
 * PUT /api/images/<name> (bearer METALBOOT_TOKEN): an image manifest (JSON, at most 1 MiB), checked
 * like a local one; every asset it names must already be stored with that size. Scripts use it at once.
 */
import { stat } from 'node:fs/promises';
import { MetalbootError } from '../../errors.js';
import { uniqueAssets } from '../../image/manifest.js';
import { parseManifest } from '../../image/manifest-schema.js';
import { assetFile, writeManifest } from '../../image/store.js';
import { readBody } from '../body.js';
import { sendError, sendJson } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

export const MANIFEST_LIMIT = 1024 * 1024;

export const manifestUploadRoute: Route = { methods: ['PUT'], path: '/api/images/:name', errors: 'json', auth: 'write', handler: uploadManifest };

async function uploadManifest(call: RouteCall): Promise<void> {
  const { ctx, req, res } = call;
  const name = call.params.name ?? '';
  const text = await readBody(req, res, MANIFEST_LIMIT);
  let manifest;
  try {
    manifest = parseManifest(text, `uploaded manifest ${name}`);
  } catch (error) {
    if (error instanceof MetalbootError) return sendError(res, 422, error.message, call.route.errors);
    throw error;
  }
  if (manifest.name !== name) {
    return sendError(res, 422, `the manifest is for image "${manifest.name}", but was sent to /api/images/${name}`, call.route.errors);
  }
  for (const asset of uniqueAssets(manifest)) {
    const found = await stat(assetFile(ctx.stateDir, asset.sha256)).catch(() => undefined);
    if (!found?.isFile() || found.size !== asset.size) {
      const missing = `asset ${asset.name} (${asset.sha256}, ${asset.size} bytes) is not on the server: upload it first with PUT /api/assets/${asset.sha256}`;
      return sendError(res, 422, missing, call.route.errors);
    }
  }
  await writeManifest(ctx.stateDir, manifest);
  ctx.manifests.clear();
  ctx.scripts.clear();
  sendJson(res, 201, { name, variants: Object.keys(manifest.variants) });
}
