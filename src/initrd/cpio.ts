/**
 * newc ("070701") cpio writer. Reproducible: entries sorted by name, mtime 0, owner root unless an
 * entry says otherwise, inode numbers in order. Streams file contents from disk; memory does not
 * grow with the archive. Hard links (path entries sharing a `linkGroup`) share one inode and carry
 * the data on the last name, as GNU cpio writes them and the kernel's unpacker expects.
 */
import { createReadStream } from 'node:fs';
import { BuildError } from '../errors.js';

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;
export const TRAILER = 'TRAILER!!!';

/** Owner of an entry; root (0) when absent. */
export interface CpioOwner {
  readonly uid?: number;
  readonly gid?: number;
}

export type CpioEntry = CpioOwner & (
  | { readonly type: 'dir'; readonly name: string; readonly mode?: number }
  | { readonly type: 'file'; readonly name: string; readonly mode?: number; readonly data: Buffer }
  | {
    readonly type: 'file'; readonly name: string; readonly mode?: number; readonly path: string; readonly size: number;
    /** Names with the same group are hard links of one file. */
    readonly linkGroup?: string;
  }
  | { readonly type: 'symlink'; readonly name: string; readonly target: string }
  /** A character or block device or a FIFO: `mode` holds the file type bits (S_IFCHR, S_IFBLK, S_IFIFO). */
  | { readonly type: 'node'; readonly name: string; readonly mode: number; readonly rdevMajor: number; readonly rdevMinor: number }
);

export interface CpioHeader {
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly size: number;
  readonly name: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly rdevMajor?: number;
  readonly rdevMinor?: number;
}

/** Canonical archive path: no leading "/" or "./", no empty, "." or ".." segments. */
export function normalizeEntryName(name: string): string {
  const clean = name.replace(/^(\.?\/)+/, '');
  const parts = clean.split('/');
  if (clean === '' || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new BuildError(`cpio entry name ${JSON.stringify(name)} is not a clean relative path`);
  }
  return clean;
}

export function encodeHeader(header: CpioHeader): Buffer {
  const nameBytes = Buffer.from(`${header.name}\0`, 'utf8');
  const fields = [
    header.ino, header.mode, header.uid ?? 0, header.gid ?? 0, header.nlink, 0, header.size,
    0, 0, header.rdevMajor ?? 0, header.rdevMinor ?? 0, nameBytes.length, 0,
  ];
  const text = `070701${fields.map((value) => value.toString(16).padStart(8, '0')).join('')}`;
  const head = Buffer.from(text, 'ascii');
  return Buffer.concat([head, nameBytes, Buffer.alloc(pad4(head.length + nameBytes.length))]);
}

export function pad4(length: number): number {
  return (4 - (length % 4)) % 4;
}

/** Adds the missing parent directories (mode 0755) of every entry. */
export function withParents(entries: readonly CpioEntry[]): CpioEntry[] {
  const byName = new Map<string, CpioEntry>();
  for (const entry of entries) byName.set(normalizeEntryName(entry.name), { ...entry, name: normalizeEntryName(entry.name) });
  for (const name of [...byName.keys()]) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!byName.has(dir)) byName.set(dir, { type: 'dir', name: dir, mode: 0o755 });
    }
  }
  return [...byName.values()];
}

function compareNames(a: CpioEntry, b: CpioEntry): number {
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
}

interface LinkGroup {
  readonly ino: number;
  readonly nlink: number;
  /** Index (in archive order) of the name that carries the data. */
  readonly last: number;
}

/** Hard-link groups: one inode each (the first member's number), the data on the last member. */
function linkGroups(sorted: readonly CpioEntry[]): Map<string, LinkGroup> {
  const groups = new Map<string, LinkGroup>();
  sorted.forEach((entry, index) => {
    if (entry.type !== 'file' || !('linkGroup' in entry) || entry.linkGroup === undefined) return;
    const seen = groups.get(entry.linkGroup);
    groups.set(entry.linkGroup, { ino: seen?.ino ?? index + 1, nlink: (seen?.nlink ?? 0) + 1, last: index });
  });
  return groups;
}

/** The archive as a stream of chunks, ending with TRAILER!!! padded to 4 bytes. */
export async function* cpioChunks(entries: readonly CpioEntry[]): AsyncGenerator<Buffer> {
  const sorted = entries.map((entry) => ({ ...entry, name: normalizeEntryName(entry.name) })).sort(compareNames);
  const groups = linkGroups(sorted);
  for (const [index, entry] of sorted.entries()) {
    const ino = index + 1;
    if (sorted[ino]?.name === entry.name) throw new BuildError(`cpio entry ${JSON.stringify(entry.name)} appears twice`);
    const owner = { uid: entry.uid ?? 0, gid: entry.gid ?? 0 };
    const perm = (entry.type === 'symlink' ? 0o777 : entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644)) & 0o7777;
    if (entry.type === 'dir') {
      yield encodeHeader({ ino, mode: S_IFDIR | perm, nlink: 2, size: 0, name: entry.name, ...owner });
    } else if (entry.type === 'node') {
      const kind = entry.mode & S_IFMT;
      if (kind !== S_IFCHR && kind !== S_IFBLK && kind !== S_IFIFO) throw new BuildError(`cpio entry ${JSON.stringify(entry.name)}: a node must be a character or block device or a FIFO`);
      yield encodeHeader({ ino, mode: kind | perm, nlink: 1, size: 0, name: entry.name, ...owner, rdevMajor: entry.rdevMajor, rdevMinor: entry.rdevMinor });
    } else if (entry.type === 'symlink') {
      const target = Buffer.from(entry.target, 'utf8');
      yield encodeHeader({ ino, mode: S_IFLNK | perm, nlink: 1, size: target.length, name: entry.name, ...owner });
      yield Buffer.concat([target, Buffer.alloc(pad4(target.length))]);
    } else if ('data' in entry) {
      yield encodeHeader({ ino, mode: S_IFREG | perm, nlink: 1, size: entry.data.length, name: entry.name, ...owner });
      yield Buffer.concat([entry.data, Buffer.alloc(pad4(entry.data.length))]);
    } else {
      const group = entry.linkGroup === undefined ? undefined : groups.get(entry.linkGroup);
      const carriesData = group === undefined || group.last === index;
      const size = carriesData ? entry.size : 0;
      yield encodeHeader({ ino: group?.ino ?? ino, mode: S_IFREG | perm, nlink: group?.nlink ?? 1, size, name: entry.name, ...owner });
      if (carriesData) yield* fileData(entry.path, entry.size);
    }
  }
  yield encodeHeader({ ino: 0, mode: 0, nlink: 1, size: 0, name: TRAILER });
}

async function* fileData(path: string, size: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > size) break;
    yield chunk;
  }
  if (seen !== size) throw new BuildError(`${path} changed size while being archived (expected ${size} bytes, read ${seen})`);
  yield Buffer.alloc(pad4(size));
}
