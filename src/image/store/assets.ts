/**
 * Putting blobs into the store: written to tmp/ through a HashingWriter, then renamed to
 * assets/<sha256> (or dropped when that content is already stored). Assets are never changed.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { BuildError } from '../../errors.js';
import { isFile } from '../../util/fs.js';
import type { AssetRef } from '../manifest.js';
import type { Hashed } from './hashing.js';
import { copyFileInto, HashingWriter } from './hashing.js';
import { ASSET_NAME, assetFile, assetsDir, tmpPath } from './layout.js';

export interface StreamedAsset extends Hashed {
  /** The temp file holding the bytes; the caller commits or removes it. */
  readonly tmp: string;
}

/** Writes a new temp file in the store through `fill`; on failure the temp file is removed and the error thrown. */
export async function writeToTmp(stateDir: string, label: string, fill: (writer: HashingWriter) => Promise<unknown>): Promise<StreamedAsset> {
  const tmp = await tmpPath(stateDir, label);
  let writer: HashingWriter | undefined;
  try {
    writer = await HashingWriter.create(tmp);
    await fill(writer);
    return { tmp, ...(await writer.close()) };
  } catch (error) {
    await writer?.abort();
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Writes `chunks` to a temp file in the store; `onChunk` sees the running byte count. */
export function streamToTmp(stateDir: string, label: string, chunks: AsyncIterable<Buffer>, onChunk?: (receivedBytes: number) => void): Promise<StreamedAsset> {
  return writeToTmp(stateDir, label, async (writer) => {
    for await (const chunk of chunks) {
      await writer.write(chunk);
      onChunk?.(writer.size);
    }
  });
}

/** Moves an already-hashed temp file into place (or drops it when the content is already stored). */
export async function commitAsset(stateDir: string, tmp: string, sha256: string): Promise<void> {
  const target = assetFile(stateDir, sha256);
  await mkdir(assetsDir(stateDir), { recursive: true });
  if (await isFile(target)) await rm(tmp, { force: true });
  else await rename(tmp, target);
}

export function checkAssetName(name: string): void {
  if (!ASSET_NAME.test(name)) throw new BuildError(`asset name ${JSON.stringify(name)} must be a plain file name`);
}

/** Copies a local file into the store by content (hashed while copied); returns its AssetRef under `name`. */
export async function addAssetFromFile(stateDir: string, source: string, name: string): Promise<AssetRef> {
  checkAssetName(name);
  const { tmp, sha256, size } = await writeToTmp(stateDir, name, (writer) => copyFileInto(source, writer));
  await commitAsset(stateDir, tmp, sha256);
  return { name, sha256, size };
}
