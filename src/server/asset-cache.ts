/**
 * Hot assets in memory: a size-bounded LRU of whole blobs (lru-cache, maxSize = server.cache_bytes),
 * one buffer per blob, shared by every response. A blob that fits (at most half the cache) is read
 * once into memory on its first request; requests arriving meanwhile wait for that one read. Blobs
 * being read in count against a budget of half the cache, so a thrash of many distinct blobs cannot
 * allocate past the bound: beyond it, responses stream from disk. Responses copy chunks out of the
 * buffer (blob-reader.ts) and never hold it, so an evicted buffer is garbage at once.
 */
import { LRUCache } from 'lru-cache';
import { openBlob } from './open-blob.js';

export class AssetCache {
  private readonly lru: LRUCache<string, Buffer> | undefined;
  private readonly loading = new Map<string, Promise<Buffer | undefined>>();
  private loadingBytes = 0;
  readonly maxEntry: number;

  constructor(maxBytes: number) {
    this.maxEntry = Math.floor(maxBytes / 2);
    this.lru = maxBytes > 0 ? new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (b) => Math.max(1, b.length) }) : undefined;
  }

  get(sha256: string): Buffer | undefined {
    return this.lru?.get(sha256);
  }

  /** The cached blob without marking it recently used (a response's later chunks). */
  peek(sha256: string): Buffer | undefined {
    return this.lru?.peek(sha256);
  }

  /** True when a blob of this size would be kept in memory. */
  fits(size: number): boolean {
    return this.lru !== undefined && size <= this.maxEntry;
  }

  /**
   * Reads `file` (a regular file of `size` bytes, not followed through symlinks) into the cache,
   * once however many callers ask; resolves undefined when it does not fit, the loading budget is
   * spent, or it cannot be read whole.
   */
  load(sha256: string, file: string, size: number): Promise<Buffer | undefined> {
    const cached = this.lru?.get(sha256);
    if (cached) return Promise.resolve(cached);
    if (!this.fits(size)) return Promise.resolve(undefined);
    let pending = this.loading.get(sha256);
    if (!pending) {
      if (this.loadingBytes + size > this.maxEntry) return Promise.resolve(undefined);
      this.loadingBytes += size;
      pending = readWhole(file, size)
        .then((data) => {
          if (data) this.lru?.set(sha256, data);
          return data;
        })
        .catch(() => undefined)
        .finally(() => {
          this.loading.delete(sha256);
          this.loadingBytes -= size;
        });
      this.loading.set(sha256, pending);
    }
    return pending;
  }

  clear(): void {
    this.lru?.clear();
  }
}

async function readWhole(file: string, size: number): Promise<Buffer | undefined> {
  const blob = await openBlob(file);
  if (!blob) return undefined;
  try {
    if (blob.size !== size) return undefined;
    const data = Buffer.allocUnsafe(size);
    for (let offset = 0; offset < size;) {
      const { bytesRead } = await blob.handle.read(data, offset, size - offset, offset);
      if (bytesRead === 0) return undefined;
      offset += bytesRead;
    }
    return data;
  } finally {
    await blob.handle.close();
  }
}
