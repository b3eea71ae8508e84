/**
 * Composes a bootable initrd as ONE stream: [early microcode cpio, uncompressed][main initrd as it
 * is, or decompressed for arm64][overlay cpio, gzip or uncompressed]. The kernel unpacks the
 * concatenation in order (init/initramfs.c), skipping zero padding between parts; an uncompressed
 * part must start 4-byte aligned.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Compression } from '../image/manifest.js';
import type { CpioEntry } from './cpio.js';
import { cpioChunks, pad4 } from './cpio.js';
import { decompressStream, sniffFile } from './compression.js';
import { gzipChunks } from './gzip.js';

export interface ComposeInput {
  /** Path of the main (original) initrd. */
  readonly base: string;
  /** Entries of the early cpio (microcode); written uncompressed and first. */
  readonly early?: readonly CpioEntry[];
  /** Entries unpacked over the main archive. */
  readonly overlay?: readonly CpioEntry[];
  /** Write everything uncompressed (arm64: iPXE cannot unpack compressed initrds there). */
  readonly uncompressed?: boolean;
}

export interface ComposePlan {
  /** Compression of the main archive in the output. */
  readonly compression: Compression;
  readonly chunks: AsyncIterable<Buffer>;
}

const READ_CHUNK = 1 << 20;

export async function planCompose(input: ComposeInput): Promise<ComposePlan> {
  const baseCompression = await sniffFile(input.base);
  const compression: Compression = input.uncompressed ? 'none' : baseCompression;
  return { compression, chunks: composeChunks(input, baseCompression) };
}

async function* composeChunks(input: ComposeInput, baseCompression: Compression): AsyncGenerator<Buffer> {
  let offset = 0;
  async function* counted(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      offset += chunk.length;
      yield chunk;
    }
  }
  const align = (): Buffer => {
    const padding = Buffer.alloc(pad4(offset));
    offset += padding.length;
    return padding;
  };
  if (input.early && input.early.length > 0) yield* counted(cpioChunks(input.early));
  let base: Readable = createReadStream(input.base, { highWaterMark: READ_CHUNK });
  if (input.uncompressed) base = decompressStream(base, baseCompression);
  yield* counted(base);
  if (input.overlay && input.overlay.length > 0) {
    // A gzip member may follow directly; an uncompressed archive must start 4-byte aligned. (No
    // padding after gzip: `gzip -t`, which unmkinitramfs relies on, rejects trailing zeros.)
    if (input.uncompressed) yield align();
    const overlay = input.uncompressed ? cpioChunks(input.overlay) : gzipChunks(cpioChunks(input.overlay));
    yield* counted(overlay);
  }
}
