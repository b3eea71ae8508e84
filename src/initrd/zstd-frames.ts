/**
 * Where a run of zstd frames ends, read from the frame and block headers (RFC 8878 §3.1) without
 * decompressing: the kernel decompresses frame by frame and then skips zero padding, which the zstd
 * tool would take for a broken frame. Skippable frames count as frames. Bounded: small positional reads.
 */
import { open } from 'node:fs/promises';

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

/** The offset just after the last zstd frame of the run starting at `start` (which must be a frame). */
export async function zstdFramesEnd(file: string, start: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(18);
    const read = async (at: number, length: number): Promise<Buffer> => {
      if (at + length > size) throw new Error(`zstd frame truncated at byte ${at}`);
      const { bytesRead } = await handle.read(buf, 0, length, at);
      if (bytesRead < length) throw new Error(`zstd frame truncated at byte ${at}`);
      return buf.subarray(0, length);
    };
    let at = start;
    for (;;) {
      if (at + 4 > size) return at;
      const magic = (await read(at, 4)).readUInt32LE(0);
      if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
        at += 8 + (await read(at + 4, 4)).readUInt32LE(0);
        continue;
      }
      if (magic !== ZSTD_MAGIC) {
        if (at === start) throw new Error(`no zstd frame at byte ${at}`);
        return at;
      }
      at = await frameEnd(at + 4, read);
    }
  } finally {
    await handle.close();
  }
}

async function frameEnd(headerAt: number, read: (at: number, length: number) => Promise<Buffer>): Promise<number> {
  const descriptor = (await read(headerAt, 1))[0]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const checksum = (descriptor >> 2) & 1;
  const dictIdFlag = descriptor & 3;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag]!;
  let at = headerAt + 1 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][dictIdFlag]! + fcsBytes;
  for (;;) {
    const header = await read(at, 3);
    const value = header[0]! | (header[1]! << 8) | (header[2]! << 16);
    const last = value & 1;
    const type = (value >> 1) & 3;
    const blockSize = value >>> 3;
    if (type === 3) throw new Error(`reserved zstd block type at byte ${at}`);
    at += 3 + (type === 1 ? 1 : blockSize); // RLE blocks carry one byte
    if (last) return at + (checksum ? 4 : 0);
  }
}
