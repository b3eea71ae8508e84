/**
 * Checks an initrd the way the kernel unpacks it (init/initramfs.c), before it is published: zero
 * padding is skipped, an uncompressed newc archive is walked in place, and a compressed part is
 * decompressed to the end (gzip members may follow each other; zstd frames may be followed by zero
 * padding, zstd-frames.ts) and every archive in it walked.
 * Streaming with bounded memory: headers only, entry data skipped, nothing extracted. A problem
 * throws E_INITRD_CORRUPT naming the file, the byte offset and what was wrong.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ReadStream } from 'node:fs';
import { MetalbootError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import type { Compression } from './compression.js';
import { decompressStream, sniffCompression } from './compression.js';
import { readCpioArchives, readCpioFrom } from './cpio-reader.js';
import { zstdFramesEnd } from './zstd-frames.js';

export interface InitrdSummary {
  /** cpio entries found (all parts). */
  readonly entries: number;
  /** The compression of each part, in order ('none' for an uncompressed archive). */
  readonly parts: readonly Compression[];
}

const CHUNK = 1 << 20;

export function corruptInitrd(file: string, detail: string): MetalbootError {
  return new MetalbootError(`initrd ${file} is corrupt: ${detail}`, {
    code: 'E_INITRD_CORRUPT',
    hint: 'the file is truncated or is not an initrd: download or build it again (check its checksum), or point the image at the right file',
  });
}

function reason(error: unknown): string {
  return (error as Error).message.replace(/^.*? -dc failed: /, '');
}

/** `label` names the file in errors (default: its path). */
export async function verifyInitrd(file: string, label = file): Promise<InitrdSummary> {
  const raw: ReadStream = createReadStream(file, { highWaterMark: CHUNK });
  const reader = new ByteReader(raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  const parts: Compression[] = [];
  let entries = 0;
  try {
    for (;;) {
      await reader.skipZeros();
      if (await reader.atEnd()) break;
      const start = reader.offset;
      const kind = sniffCompression(await reader.peek(16));
      if (kind === undefined) {
        const head = (await reader.peek(8)).toString('hex');
        throw corruptInitrd(label, `byte ${start} starts neither a newc cpio archive nor a known compression (bytes ${head})`);
      }
      parts.push(kind);
      if (kind === 'none') {
        try {
          entries += await count(readCpioFrom(reader, false));
        } catch (error) {
          throw corruptInitrd(label, `uncompressed cpio archive starting at byte ${start}: ${reason(error)}`);
        }
        continue;
      }
      raw.destroy();
      entries += await verifyCompressed(file, label, start, kind);
      break;
    }
  } catch (error) {
    if (error instanceof MetalbootError && error.code === 'E_INITRD_CORRUPT') throw error;
    throw corruptInitrd(label, reason(error));
  } finally {
    raw.destroy();
  }
  if (parts.length === 0) throw corruptInitrd(label, 'it is empty (or only zero bytes)');
  return { entries, parts };
}

/** Decompresses `file` from `start` to its end and walks every archive in it; returns the entry count. */
async function verifyCompressed(file: string, label: string, start: number, kind: Compression): Promise<number> {
  let produced = 0;
  // zstd: only its frames go to the zstd tool; zero padding after them is the kernel's to skip
  const end = kind === 'zstd' ? await zstdEndBeforePadding(file, label, start) : undefined;
  async function* counted(): AsyncGenerator<Buffer> {
    const input = createReadStream(file, { start, highWaterMark: CHUNK, ...(end === undefined ? {} : { end: end - 1 }) });
    for await (const chunk of decompressStream(input, kind) as AsyncIterable<Buffer>) {
      produced += chunk.length;
      yield chunk;
    }
  }
  let entries: number;
  try {
    entries = await count(readCpioArchives(counted(), false));
  } catch (error) {
    throw corruptInitrd(label, `${kind} data starting at byte ${start}: ${reason(error)} (after ${produced} decompressed bytes)`);
  }
  if (entries === 0) throw corruptInitrd(label, `${kind} data starting at byte ${start} holds no cpio entries (${produced} decompressed bytes)`);
  return entries;
}

/** The end of the zstd frames from `start`; what follows must be zero bytes only. */
async function zstdEndBeforePadding(file: string, label: string, start: number): Promise<number> {
  let end: number;
  try {
    end = await zstdFramesEnd(file, start);
  } catch (error) {
    throw corruptInitrd(label, `zstd data starting at byte ${start}: ${(error as Error).message}`);
  }
  const handle = await open(file, 'r');
  try {
    const rest = Buffer.alloc(CHUNK);
    for (let at = end; ;) {
      const { bytesRead } = await handle.read(rest, 0, CHUNK, at);
      if (bytesRead === 0) return end;
      const nonZero = rest.subarray(0, bytesRead).findIndex((byte) => byte !== 0);
      if (nonZero >= 0) throw corruptInitrd(label, `byte ${at + nonZero}, after the zstd data starting at byte ${start}, is neither zero padding nor a zstd frame`);
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

async function count(items: AsyncIterable<unknown>): Promise<number> {
  const iterator = items[Symbol.asyncIterator]();
  let n = 0;
  while (!(await iterator.next()).done) n++;
  return n;
}
