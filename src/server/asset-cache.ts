/**
 * Hot assets in memory: a size-bounded LRU of whole blobs (lru-cache, maxSize = server.cache_bytes).
 * An asset is loaded after it was requested once, in the background, so the next requests are
 * answered from memory; assets larger than half the cache are never cached.
 */
import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';

export class AssetCache {
  private readonly lru: LRUCache<string, Buffer> | undefined;
  private readonly loading = new Set<string>();
  readonly maxEntry: number;

  constructor(maxBytes: number) {
    this.maxEntry = Math.floor(maxBytes / 2);
    this.lru = maxBytes > 0 ? new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (b) => Math.max(1, b.length) }) : undefined;
  }

  get(sha256: string): Buffer | undefined {
    return this.lru?.get(sha256);
  }

  /** Starts loading `file` (already checked: a regular file of `size` bytes) unless cached or too big. */
  warm(sha256: string, file: string, size: number): void {
    if (!this.lru || size > this.maxEntry || this.loading.has(sha256) || this.lru.has(sha256)) return;
    this.loading.add(sha256);
    readFile(file, { flag: constants.O_RDONLY | constants.O_NOFOLLOW })
      .then((data) => {
        if (data.length === size) this.lru?.set(sha256, data);
      })
      .catch(() => undefined)
      .finally(() => this.loading.delete(sha256));
  }

  clear(): void {
    this.lru?.clear();
  }
}
