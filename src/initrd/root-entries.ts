/**
 * cpio entries for a whole root filesystem on disk: unlike overlays (fs-entries.ts) it keeps what a
 * running system needs: owners, setuid/setgid bits, device nodes and hard links. Times are not kept
 * (the writer zeroes them). Entries come out sorted, so the archive does not depend on readdir order.
 */
import type { BigIntStats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../errors.js';
import type { CpioEntry } from './cpio.js';
import { S_IFBLK, S_IFCHR, S_IFIFO } from './cpio.js';

export interface RootEntriesOptions {
  /** Relative paths (no leading slash) to leave out, with everything below them. */
  readonly skip?: (relative: string) => boolean;
}

/** Walks `root` without following symlinks. Sockets are left out (nothing can use them in an archive). */
export async function entriesFromRoot(root: string, options: RootEntriesOptions = {}): Promise<CpioEntry[]> {
  const out: CpioEntry[] = [];
  await walk(root, '', out, options.skip ?? (() => false));
  return out;
}

async function walk(root: string, prefix: string, out: CpioEntry[], skip: (relative: string) => boolean): Promise<void> {
  const dir = prefix ? join(root, prefix) : root;
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new BuildError(`cannot read directory ${dir}: ${(error as Error).message}`, { cause: error });
  }
  for (const name of names) {
    const relative = prefix ? `${prefix}/${name}` : name;
    if (skip(relative)) continue;
    const path = join(root, relative);
    const info = await lstat(path, { bigint: true });
    const entry = await entryFor(relative, path, info);
    if (entry) out.push(entry);
    if (info.isDirectory()) await walk(root, relative, out, skip);
  }
}

async function entryFor(name: string, path: string, info: BigIntStats): Promise<CpioEntry | undefined> {
  const mode = Number(info.mode) & 0o7777;
  const owner = { uid: Number(info.uid), gid: Number(info.gid) };
  if (info.isDirectory()) return { type: 'dir', name, mode, ...owner };
  if (info.isSymbolicLink()) return { type: 'symlink', name, target: await readlink(path), ...owner };
  if (info.isFile()) {
    const size = Number(info.size);
    const linkGroup = info.nlink > 1n ? `${info.dev}:${info.ino}` : undefined;
    return { type: 'file', name, mode, path, size, ...owner, ...(linkGroup ? { linkGroup } : {}) };
  }
  const kind = info.isCharacterDevice() ? S_IFCHR : info.isBlockDevice() ? S_IFBLK : info.isFIFO() ? S_IFIFO : undefined;
  if (kind === undefined) return undefined;
  const rdev = Number(info.rdev);
  return { type: 'node', name, mode: kind | mode, rdevMajor: majorOf(rdev), rdevMinor: minorOf(rdev), ...owner };
}

/** Linux's dev_t split (glibc's gnu_dev_major/minor). */
export function majorOf(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}
export function minorOf(rdev: number): number {
  return (rdev & 0xff) | ((rdev >>> 12) & ~0xff);
}
