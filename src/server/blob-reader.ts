/**
 * The body of an asset response: bytes [start, end] of one blob, read a chunk at a time only when
 * the response asks for more (backpressure), so a slow reader holds at most a chunk or two. Each
 * chunk is copied out of the cached buffer while the blob is cached, and read from the file once it
 * is evicted: a reader never pins a cached buffer, so eviction frees it whoever is still reading.
 */
import { Readable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';
import type { AssetCache } from './asset-cache.js';
import { openBlob } from './open-blob.js';

/** Read-ahead per response; the socket's own buffer (server highWaterMark) is the same size. */
export const CHUNK = 64 * 1024;

export interface BlobSource {
  readonly cache: AssetCache;
  readonly sha256: string;
  readonly file: string;
  /** An already-open handle of the file (closed when the stream ends), if the caller has one. */
  readonly handle?: FileHandle;
}

export class BlobReader extends Readable {
  private position: number;
  private handle: FileHandle | undefined;

  constructor(private readonly source: BlobSource, start: number, private readonly end: number) {
    super({ highWaterMark: 0 }); // no read-ahead: a paused response holds only the chunk in its socket
    this.position = start;
    this.handle = source.handle;
  }

  override _read(): void {
    // While the blob is cached, chunks are copied synchronously until the buffer is full (no
    // promise per chunk); once it is evicted, one file read per call.
    for (;;) {
      const length = Math.min(CHUNK, this.end + 1 - this.position);
      if (length <= 0) {
        this.push(null);
        return;
      }
      const cached = this.source.cache.peek(this.source.sha256);
      if (!cached) break;
      const chunk = Buffer.allocUnsafe(length);
      cached.copy(chunk, 0, this.position, this.position + length);
      this.position += length;
      if (!this.push(chunk)) return;
    }
    this.readFile().then((chunk) => this.push(chunk), (error: unknown) => this.destroy(error as Error));
  }

  private async readFile(): Promise<Buffer> {
    const length = Math.min(CHUNK, this.end + 1 - this.position);
    this.handle ??= (await openBlob(this.source.file))?.handle;
    if (!this.handle) throw new Error(`asset ${this.source.sha256} disappeared while being sent`);
    const chunk = Buffer.allocUnsafe(length);
    const { bytesRead } = await this.handle.read(chunk, 0, length, this.position);
    if (bytesRead !== length) throw new Error(`asset ${this.source.sha256} is shorter than its size`);
    this.position += length;
    return chunk;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return callback(error);
    handle.close().then(() => callback(error), () => callback(error));
  }
}
