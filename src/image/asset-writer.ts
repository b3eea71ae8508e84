/** Streams chunks into the store: written to tmp/ while hashed, renamed to assets/<sha256> when complete. */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BuildError } from '../errors.js';
import type { AssetRef } from './manifest.js';
import { ASSET_NAME, commitAsset, tmpPath } from './store.js';

export interface StreamedAsset {
  readonly tmp: string;
  readonly sha256: string;
  readonly size: number;
}

/** Writes `chunks` to a temp file in the store, hashing as it goes. The caller commits or removes it. */
export async function streamToTmp(stateDir: string, label: string, chunks: AsyncIterable<Buffer>): Promise<StreamedAsset> {
  const tmp = await tmpPath(stateDir, label);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      Readable.from(chunks, { objectMode: false }),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(tmp, { highWaterMark: 1 << 20 }),
    );
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return { tmp, sha256: hash.digest('hex'), size };
}

/** Streams `chunks` into the store as an asset named `name`. */
export async function addAssetFromChunks(stateDir: string, name: string, chunks: AsyncIterable<Buffer>): Promise<AssetRef> {
  if (!ASSET_NAME.test(name)) throw new BuildError(`asset name ${JSON.stringify(name)} must be a plain file name`);
  const { tmp, sha256, size } = await streamToTmp(stateDir, name, chunks);
  await commitAsset(stateDir, tmp, sha256);
  return { name, sha256, size };
}
