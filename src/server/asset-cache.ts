/**
 * Hot assets in memory: a size-bounded LRU of whole blobs (lru-cache, maxSize = server.cache_bytes).
 * A blob that fits (at most half the cache) is read once into memory on its first request; requests
 * arriving meanwhile wait for that one read, so a boot storm holds a single copy of each blob
 * instead of one read buffer per connection. Larger blobs are streamed from disk by the caller.
 */
import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';

export class AssetCache {
  private readonly lru: LRUCache<string, Buffer> | undefined;
  private readonly loading = new Map<string, Promise<Buffer | undefined>>();
  readonly maxEntry: number;

  constructor(maxBytes: number) {
    this.maxEntry = Math.floor(maxBytes / 2);
    this.lru = maxBytes > 0 ? new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (b) => Math.max(1, b.length) }) : undefined;
  }

  get(sha256: string): Buffer | undefined {
    return this.lru?.get(sha256);
  }

  /** True when a blob of this size would be kept in memory. */
  fits(size: number): boolean {
    return this.lru !== undefined && size <= this.maxEntry;
  }

  /**
   * Reads `file` (a regular file of `size` bytes, not followed through symlinks) into the cache,
   * once however many callers ask; resolves undefined when it does not fit or cannot be read whole.
   */
  load(sha256: string, file: string, size: number): Promise<Buffer | undefined> {
    const cached = this.lru?.get(sha256);
    if (cached) return Promise.resolve(cached);
    if (!this.fits(size)) return Promise.resolve(undefined);
    let pending = this.loading.get(sha256);
    if (!pending) {
      pending = readFile(file, { flag: constants.O_RDONLY | constants.O_NOFOLLOW })
        .then((data) => {
          if (data.length !== size) return undefined;
          this.lru?.set(sha256, data);
          return data;
        })
        .catch(() => undefined)
        .finally(() => this.loading.delete(sha256));
      this.loading.set(sha256, pending);
    }
    return pending;
  }

  clear(): void {
    this.lru?.clear();
  }
}
