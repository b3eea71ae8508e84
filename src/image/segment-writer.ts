/**
 * Writes composed initrd segments (initrd/compose.ts) into a store temp file through the store's
 * HashingWriter: 'file' segments are copied with its two reused buffers (reading, writing and
 * hashing overlap: throughput near `cat`, memory fixed), chunk streams are written as they come.
 */
import { BuildError } from '../errors.js';
import type { Segment } from '../initrd/compose.js';
import { pad4 } from '../initrd/cpio.js';
import type { AssetRef } from './manifest.js';
import type { StreamedAsset } from './store.js';
import { checkAssetName, commitAsset, copyFileInto, writeToTmp } from './store.js';

export async function writeSegmentsToTmp(stateDir: string, label: string, segments: readonly Segment[]): Promise<StreamedAsset> {
  try {
    return await writeToTmp(stateDir, label, async (writer) => {
      for (const segment of segments) {
        if (segment.kind === 'file') await copyFileInto(segment.path, writer);
        else if (segment.kind === 'align4') await writer.write(Buffer.alloc(pad4(writer.size)));
        else for await (const chunk of segment.chunks) await writer.write(chunk);
      }
    });
  } catch (error) {
    if (error instanceof BuildError) throw error;
    throw new BuildError(`writing ${label} failed: ${(error as Error).message}`, { cause: error });
  }
}

export async function addAssetFromSegments(stateDir: string, name: string, segments: readonly Segment[]): Promise<AssetRef> {
  checkAssetName(name);
  const { tmp, sha256, size } = await writeSegmentsToTmp(stateDir, name, segments);
  await commitAsset(stateDir, tmp, sha256);
  return { name, sha256, size };
}
