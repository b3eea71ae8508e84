/**
 * Hash-while-write, the one way bytes enter the store (assets, composed initrds, downloads,
 * uploads): every byte is hashed as it is written, in one pass, so the hash always describes the
 * file. At most one write is in flight; `write` resolves once the previous write has finished, so
 * the caller may reuse that earlier buffer (copyFileInto overlaps reading, writing and hashing).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';

export interface Hashed {
  /** Lower-case hex sha256. */
  readonly sha256: string;
  readonly size: number;
}

const BLOCK = 1 << 20;

export class HashingWriter {
  private readonly hash = createHash('sha256');
  private pending: Promise<void> = Promise.resolve();
  private written = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<HashingWriter> {
    return new HashingWriter(await open(path, 'w'));
  }

  /** Bytes handed to `write` so far. */
  get size(): number {
    return this.written;
  }

  /** Waits for the previous write, then hashes `chunk` and starts writing it. */
  async write(chunk: Buffer): Promise<void> {
    await this.pending;
    this.hash.update(chunk);
    this.written += chunk.length;
    this.pending = writeAll(this.handle, chunk);
  }

  /** Waits for the last write, closes the file and returns what was written. */
  async close(): Promise<Hashed> {
    try {
      await this.pending;
    } finally {
      await this.handle.close();
    }
    return { sha256: this.hash.digest('hex'), size: this.written };
  }

  /** Closes the file after a failure; the caller's error is the one that matters. */
  async abort(): Promise<void> {
    await this.pending.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length;) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Copies a file into `writer` with two reused buffers: reading the next block overlaps writing this one. */
export async function copyFileInto(path: string, writer: HashingWriter): Promise<number> {
  const source = await open(path, 'r');
  try {
    const buffers = [Buffer.allocUnsafe(BLOCK), Buffer.allocUnsafe(BLOCK)] as const;
    let total = 0;
    let reading = source.read(buffers[0], 0, BLOCK, null);
    for (let index = 0; ; index++) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) return total;
      await writer.write(buffers[index % 2]!.subarray(0, bytesRead)); // the other buffer's write is done
      reading = source.read(buffers[(index + 1) % 2]!, 0, BLOCK, null);
      total += bytesRead;
    }
  } finally {
    await source.close();
  }
}

/** The sha256 and size of a file (read only). */
export async function sha256File(path: string): Promise<Hashed> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: BLOCK }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
