/**
 * The upload API used by `metalboot push http(s)://server`:
 *   PUT /api/assets/<sha256>  body = the blob; hashed while it streams into tmp/, renamed into place
 *                             only when the sha256 matches (a reader never sees a partial asset)
 *   PUT /api/images/<name>    body = the manifest JSON; every asset it names must already be stored
 * Errors are JSON {error} with 400 (bad name), 401 (token), 413 (too large), 422 (content wrong).
 */
import type { IncomingMessage } from 'node:http';
import { rm, stat } from 'node:fs/promises';
import type { Request, Response, NextFunction } from 'express';
import { MetalbootError } from '../errors.js';
import { uniqueAssets } from '../image/manifest.js';
import { parseManifest } from '../image/manifest-schema.js';
import { assetFile, commitAsset, SHA256_HEX, streamToTmp, writeManifest } from '../image/store.js';
import type { ServerContext } from './context.js';

export function assetUploadHandler(ctx: ServerContext) {
  return async function uploadAsset(req: Request, res: Response, next: NextFunction): Promise<void> {
    const sha256 = String(req.params.sha256);
    if (!SHA256_HEX.test(sha256)) {
      res.status(400).json({ error: `${JSON.stringify(sha256)} is not a sha256 (64 lower-case hex digits)` });
      return;
    }
    const limit = ctx.maxUploadBytes;
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (declared !== undefined && declared > limit) return tooLarge(res, limit);
    const existing = await stat(assetFile(ctx.stateDir, sha256)).catch(() => undefined);
    if (existing?.isFile()) {
      res.setHeader('Connection', 'close');
      res.status(200).json({ sha256, size: existing.size, existed: true });
      return;
    }
    let streamed;
    try {
      streamed = await streamToTmp(ctx.stateDir, `upload-${sha256}`, limited(req, limit));
    } catch (error) {
      if (error instanceof TooLarge) {
        // Answer now, then drop the connection: the client learns why, and nothing is kept.
        req.resume();
        tooLarge(res, limit);
        res.once('finish', () => req.destroy());
        return;
      }
      if (!res.headersSent && !req.destroyed) return next(error);
      return;
    }
    const { tmp, size, sha256: actual } = streamed;
    if (actual !== sha256) {
      await rm(tmp, { force: true });
      res.status(422).json({ error: `the body's sha256 is ${actual}, not ${sha256} (${size} bytes received)` });
      return;
    }
    try {
      await commitAsset(ctx.stateDir, tmp, sha256);
    } catch (error) {
      await rm(tmp, { force: true });
      return next(error);
    }
    res.status(201).json({ sha256, size });
  };
}

export function manifestUploadHandler(ctx: ServerContext) {
  return async function uploadManifest(req: Request, res: Response, next: NextFunction): Promise<void> {
    const name = String(req.params.name);
    let manifest;
    try {
      manifest = parseManifest(typeof req.body === 'string' ? req.body : '', `uploaded manifest ${name}`);
    } catch (error) {
      if (error instanceof MetalbootError) {
        res.status(422).json({ error: error.message });
        return;
      }
      return next(error);
    }
    if (manifest.name !== name) {
      res.status(422).json({ error: `the manifest is for image "${manifest.name}", but was sent to /api/images/${name}` });
      return;
    }
    for (const asset of uniqueAssets(manifest)) {
      const found = await stat(assetFile(ctx.stateDir, asset.sha256)).catch(() => undefined);
      if (!found?.isFile() || found.size !== asset.size) {
        res.status(422).json({ error: `asset ${asset.name} (${asset.sha256}, ${asset.size} bytes) is not on the server: upload it first with PUT /api/assets/${asset.sha256}` });
        return;
      }
    }
    await writeManifest(ctx.stateDir, manifest);
    ctx.manifests.clear();
    ctx.scripts.clear();
    res.status(201).json({ name, variants: Object.keys(manifest.variants) });
  };
}

class TooLarge extends Error {}

/** The request body, failing with TooLarge once it passes `limit` bytes (the request itself stays open). */
async function* limited(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new TooLarge(`the upload is larger than ${limit} bytes`);
    yield chunk;
  }
}

function tooLarge(res: Response, limit: number): void {
  res.setHeader('Connection', 'close');
  res.status(413).json({ error: `the upload is larger than the server's limit of ${limit} bytes` });
}
