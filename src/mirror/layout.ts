/**
 * The mirror on disk. `<out>` is a symlink to one generation `<out>.gens/<id>/`; a build fills a new
 * generation and then swaps the symlink with one rename(2), so a reader (the server) sees either
 * the old mirror or the new one, never a half-built one, and a failed build leaves the old one
 * serving. Files are hard links to the content-addressed cache (a copy across filesystems).
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { BuildError } from '../errors.js';

export function generationsDir(out: string): string {
  return `${resolve(out)}.gens`;
}

/** Creates an empty generation directory for a build. */
export async function createGeneration(out: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const dir = join(generationsDir(out), `${stamp}-${randomBytes(3).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Puts `source` at `<generation>/<relative>` (hard link, or copy across filesystems). */
export async function placeFile(generation: string, relative: string, source: string): Promise<void> {
  const target = join(generation, relative);
  if (!target.startsWith(`${generation}/`)) throw new BuildError(`refusing to write ${relative}: outside the mirror`);
  await mkdir(dirname(target), { recursive: true });
  try {
    await link(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM') throw error;
    await copyFile(source, target);
  }
}

/** The generation `<out>` points at now, if any. */
export async function currentGeneration(out: string): Promise<string | undefined> {
  try {
    const stats = await lstat(out);
    if (!stats.isSymbolicLink()) {
      throw new BuildError(`${out} exists and is not a metalboot mirror (not a symlink to ${generationsDir(out)}/…)`, { hint: 'move it away or choose another --out' });
    }
    return resolve(dirname(resolve(out)), await readlink(out));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Points `<out>` at `generation` atomically, then removes the other generations. */
export async function commitGeneration(out: string, generation: string): Promise<void> {
  const absolute = resolve(out);
  await currentGeneration(absolute);
  const tmp = `${absolute}.swap-${randomBytes(4).toString('hex')}`;
  await symlink(join(basename(generationsDir(absolute)), basename(generation)), tmp);
  await rename(tmp, absolute);
  for (const name of await readdir(generationsDir(absolute))) {
    if (name !== basename(generation)) await rm(join(generationsDir(absolute), name), { recursive: true, force: true });
  }
}

export async function discardGeneration(generation: string): Promise<void> {
  await rm(generation, { recursive: true, force: true });
}
