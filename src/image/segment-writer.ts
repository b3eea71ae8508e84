/**
 * Writes composed initrd segments into a store temp file while hashing. Large 'file' segments are
 * copied with two reused buffers so that reading the next block, writing this one (both on libuv's
 * thread pool) and hashing it (here) overlap: throughput near `cat`, memory fixed (2 × BLOCK).
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, rm } from 'node:fs/promises';
import { BuildError } from '../errors.js';
import type { Segment } from '../initrd/compose.js';
import { pad4 } from '../initrd/cpio.js';
import type { AssetRef } from './manifest.js';
import type { StreamedAsset } from './store.js';
import { ASSET_NAME, commitAsset, tmpPath } from './store.js';

const BLOCK = 1 << 20;

async function copyFile(path: string, out: FileHandle, hash: Hash): Promise<number> {
  const source = await open(path, 'r');
  let pendingWrite: Promise<unknown> = Promise.resolve();
  try {
    const buffers = [Buffer.allocUnsafe(BLOCK), Buffer.allocUnsafe(BLOCK)];
    let total = 0;
    let index = 0;
    let reading = source.read(buffers[0]!, 0, BLOCK, null);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const current = buffers[index % 2]!.subarray(0, bytesRead);
      await pendingWrite; // the other buffer is free again
      reading = source.read(buffers[(index + 1) % 2]!, 0, BLOCK, null);
      pendingWrite = out.write(current);
      hash.update(current);
      total += bytesRead;
      index += 1;
    }
    await pendingWrite;
    return total;
  } catch (error) {
    await pendingWrite.catch(() => undefined);
    throw error;
  } finally {
    await source.close();
  }
}

export async function writeSegmentsToTmp(stateDir: string, label: string, segments: readonly Segment[]): Promise<StreamedAsset> {
  const tmp = await tmpPath(stateDir, label);
  const hash = createHash('sha256');
  let size = 0;
  const out = await open(tmp, 'w');
  try {
    try {
      for (const segment of segments) {
        if (segment.kind === 'file') {
          size += await copyFile(segment.path, out, hash);
          continue;
        }
        const chunks = segment.kind === 'chunks' ? segment.chunks : [Buffer.alloc(pad4(size))];
        let pendingWrite: Promise<unknown> = Promise.resolve();
        for await (const chunk of chunks) {
          await pendingWrite;
          pendingWrite = out.write(chunk);
          hash.update(chunk);
          size += chunk.length;
        }
        await pendingWrite;
      }
    } finally {
      await out.close();
    }
  } catch (error) {
    await rm(tmp, { force: true });
    if (error instanceof BuildError) throw error;
    throw new BuildError(`writing ${label} failed: ${(error as Error).message}`, { cause: error });
  }
  return { tmp, sha256: hash.digest('hex'), size };
}

export async function addAssetFromSegments(stateDir: string, name: string, segments: readonly Segment[]): Promise<AssetRef> {
  if (!ASSET_NAME.test(name)) throw new BuildError(`asset name ${JSON.stringify(name)} must be a plain file name`);
  const { tmp, sha256, size } = await writeSegmentsToTmp(stateDir, name, segments);
  await commitAsset(stateDir, tmp, sha256);
  return { name, sha256, size };
}
