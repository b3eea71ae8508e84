/**
 * The upload API used by `metalboot push http(s)://server`:
 *   PUT /api/assets/<sha256>  body = the blob; hashed while it streams into tmp/, renamed into place
 *                             only when the sha256 matches (a reader never sees a partial asset)
 *   PUT /api/images/<name>    body = the manifest JSON; every asset it names must already be stored
 * Errors are JSON {error} with 400 (bad name), 401 (token), 413 (too large), 422 (content wrong).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response, NextFunction } from 'express';
import { MetalbootError } from '../errors.js';
import { assetFile, commitAsset, parseManifest, SHA256_HEX, tmpPath, writeManifest } from '../image/store.js';
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
    const tmp = await tmpPath(ctx.stateDir, `upload-${sha256}`);
    const hash = createHash('sha256');
    let size = 0;
    let overflow = false;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) {
          // Answer now, then drop the connection: the client learns why, and nothing is kept.
          if (!overflow) {
            overflow = true;
            tooLarge(res, limit);
            res.once('finish', () => req.destroy());
          }
          return callback();
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(req, meter, createWriteStream(tmp, { flags: 'wx', highWaterMark: 1 << 20 }));
    } catch (error) {
      await rm(tmp, { force: true });
      if (!res.headersSent && !req.destroyed) return next(error);
      return;
    }
    if (overflow) {
      await rm(tmp, { force: true });
      return;
    }
    const actual = hash.digest('hex');
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
    for (const variant of Object.values(manifest.variants)) {
      for (const asset of [variant!.kernel, variant!.initrd]) {
        const found = await stat(assetFile(ctx.stateDir, asset.sha256)).catch(() => undefined);
        if (!found?.isFile() || found.size !== asset.size) {
          res.status(422).json({ error: `asset ${asset.name} (${asset.sha256}, ${asset.size} bytes) is not on the server: upload it first with PUT /api/assets/${asset.sha256}` });
          return;
        }
      }
    }
    await writeManifest(ctx.stateDir, manifest);
    ctx.manifests.clear();
    ctx.scripts.clear();
    res.status(201).json({ name, variants: Object.keys(manifest.variants) });
  };
}

function tooLarge(res: Response, limit: number): void {
  res.setHeader('Connection', 'close');
  res.status(413).json({ error: `the upload is larger than the server's limit of ${limit} bytes` });
}
