/** cpio entries from a directory tree on disk (for overlays), with paths relative to the tree. */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../errors.js';
import type { CpioEntry } from './cpio.js';

/** Walks `dir` (sorted, not following symlinks). Modes keep the permission bits; owners/times are dropped. */
export async function entriesFromDir(dir: string, prefix = ''): Promise<CpioEntry[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new BuildError(`cannot read directory ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const out: CpioEntry[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const entryName = prefix ? `${prefix}/${name}` : name;
    const info = await lstat(path);
    const mode = info.mode & 0o7777;
    if (info.isDirectory()) {
      out.push({ type: 'dir', name: entryName, mode });
      out.push(...(await entriesFromDir(path, entryName)));
    } else if (info.isSymbolicLink()) {
      out.push({ type: 'symlink', name: entryName, target: await readlink(path) });
    } else if (info.isFile()) {
      out.push({ type: 'file', name: entryName, mode, path, size: info.size });
    } else {
      throw new BuildError(`${path} is not a file, directory or symlink; overlays cannot hold it`);
    }
  }
  return out;
}
