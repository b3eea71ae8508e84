/** Push into a local directory (e.g. a web root or a mounted CDN origin); every file is written to a temp name and renamed. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AssetRef, ImageManifest } from '../image/manifest.js';
import { meteredChunks } from './metered.js';
import type { PushTarget } from './types.js';
import { staticAssetPath } from './types.js';

export class DirectoryTarget implements PushTarget {
  readonly isStatic = true;
  readonly label: string;
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
    this.label = this.root;
  }

  async hasAsset(asset: AssetRef): Promise<boolean> {
    const found = await stat(this.path(staticAssetPath(asset))).catch(() => undefined);
    return found?.isFile() === true && found.size === asset.size;
  }

  async putAsset(asset: AssetRef, file: string, onBytes: (bytes: number) => void): Promise<void> {
    await this.atomic(staticAssetPath(asset), (tmp) => pipeline(meteredChunks(file, onBytes), createWriteStream(tmp, { flags: 'wx' })));
  }

  async putManifest(manifest: ImageManifest): Promise<void> {
    await this.putText(`images/${manifest.name}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  }

  async putText(path: string, text: string): Promise<void> {
    await this.atomic(path, (tmp) => writeFile(tmp, text, { flag: 'wx' }));
  }

  private path(relative: string): string {
    return join(this.root, ...relative.split('/'));
  }

  /** Writes via `<dir>/.<name>.<random>.tmp` in the same directory, then renames: readers see old or new, never half. */
  private async atomic(relative: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.path(relative);
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.${relative.split('/').pop()}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await write(tmp);
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}
