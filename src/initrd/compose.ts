/**
 * Composes a bootable initrd as ONE stream: [early microcode cpio, uncompressed][main initrd as it
 * is, or decompressed for arm64][overlay cpio, gzip or uncompressed]. The kernel unpacks the
 * concatenation in order (init/initramfs.c), skipping zero padding between parts; an uncompressed
 * part must start 4-byte aligned.
 */
import { createReadStream } from 'node:fs';
import type { CpioEntry } from './cpio.js';
import { cpioChunks } from './cpio.js';
import type { Compression } from './compression.js';
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

/** One part of the output: a file copied as it is, a chunk stream, or zero padding to 4 bytes. */
export type Segment =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'chunks'; readonly chunks: AsyncIterable<Buffer> }
  | { readonly kind: 'align4' };

export interface ComposePlan {
  /** Compression of the main archive in the output. */
  readonly compression: Compression;
  /** The output in order; written by writeSegmentsToTmp (image/segment-writer.ts), which copies 'file' segments with its own buffers. */
  readonly segments: readonly Segment[];
}

const READ_CHUNK = 1 << 20;

export async function planCompose(input: ComposeInput): Promise<ComposePlan> {
  const baseCompression = await sniffFile(input.base);
  const compression: Compression = input.uncompressed ? 'none' : baseCompression;
  const segments: Segment[] = [];
  if (input.early && input.early.length > 0) segments.push({ kind: 'chunks', chunks: cpioChunks(input.early) });
  if (input.uncompressed && baseCompression !== 'none') {
    segments.push({ kind: 'chunks', chunks: lazy(() => decompressStream(createReadStream(input.base, { highWaterMark: READ_CHUNK }), baseCompression)) });
  } else {
    segments.push({ kind: 'file', path: input.base });
  }
  if (input.overlay && input.overlay.length > 0) {
    // A gzip member may follow directly; an uncompressed archive must start 4-byte aligned. (No
    // padding after gzip: `gzip -t`, which unmkinitramfs relies on, rejects trailing zeros.)
    if (input.uncompressed) segments.push({ kind: 'align4' });
    const overlay = input.overlay;
    segments.push({ kind: 'chunks', chunks: input.uncompressed ? cpioChunks(overlay) : lazy(() => gzipChunks(cpioChunks(overlay))) });
  }
  return { compression, segments };
}

/** Starts a stream only when it is first read (so an unused plan opens no files or processes). */
async function* lazy(open: () => AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield* open();
}
