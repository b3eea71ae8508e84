/**
 * Image manifests read from the store, kept in memory and re-checked (mtime) at most once a second,
 * so script renders do not hit the disk on every request; uploads and reloads clear it.
 */
import { stat } from 'node:fs/promises';
import type { ImageManifest } from '../image/manifest.js';
import { manifestFile, readManifest } from '../image/store.js';

interface Entry {
  manifest: ImageManifest;
  mtimeMs: number;
  checkedAt: number;
}

export const RECHECK_MS = 1000;

export class ManifestCache {
  private readonly entries = new Map<string, Entry>();

  async get(stateDir: string, image: string): Promise<ImageManifest> {
    const key = `${stateDir}\0${image}`;
    const entry = this.entries.get(key);
    const now = Date.now();
    if (entry && now - entry.checkedAt < RECHECK_MS) return entry.manifest;
    const file = manifestFile(stateDir, image);
    const mtimeMs = await stat(file).then((s) => s.mtimeMs, () => -1);
    if (entry && entry.mtimeMs === mtimeMs) {
      entry.checkedAt = now;
      return entry.manifest;
    }
    const manifest = await readManifest(stateDir, image);
    this.entries.set(key, { manifest, mtimeMs, checkedAt: now });
    return manifest;
  }

  /** The cached manifest, if any, without I/O (for classifying asset fetches). */
  peek(stateDir: string, image: string): ImageManifest | undefined {
    return this.entries.get(`${stateDir}\0${image}`)?.manifest;
  }

  clear(): void {
    this.entries.clear();
  }
}
