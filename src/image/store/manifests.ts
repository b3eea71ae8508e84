/** Manifests in the store: images/<name>.json, written through tmp/ and renamed, checked when read. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { NotBuiltError } from '../../errors.js';
import type { ImageManifest } from '../manifest.js';
import { parseManifest } from '../manifest-schema.js';
import { imagesDir, manifestFile, tmpPath } from './layout.js';

export async function writeManifest(stateDir: string, manifest: ImageManifest): Promise<string> {
  const file = manifestFile(stateDir, manifest.name);
  await mkdir(imagesDir(stateDir), { recursive: true });
  const tmp = await tmpPath(stateDir, `${manifest.name}.json`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}

/** The image's manifest; NotBuiltError when it has none. */
export async function readManifest(stateDir: string, name: string): Promise<ImageManifest> {
  const file = manifestFile(stateDir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotBuiltError(name, file);
    throw error;
  }
  return parseManifest(text, file);
}
