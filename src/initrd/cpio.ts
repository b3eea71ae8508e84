/**
 * newc ("070701") cpio writer. Reproducible: entries sorted by name, mtime/uid/gid 0, inode numbers
 * in order. Streams file contents from disk; memory does not grow with the archive.
 */
import { createReadStream } from 'node:fs';
import { BuildError } from '../errors.js';

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const TRAILER = 'TRAILER!!!';

export type CpioEntry =
  | { readonly type: 'dir'; readonly name: string; readonly mode?: number }
  | { readonly type: 'file'; readonly name: string; readonly mode?: number; readonly data: Buffer }
  | { readonly type: 'file'; readonly name: string; readonly mode?: number; readonly path: string; readonly size: number }
  | { readonly type: 'symlink'; readonly name: string; readonly target: string };

export interface CpioHeader {
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly size: number;
  readonly name: string;
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
  const fields = [header.ino, header.mode, 0, 0, header.nlink, 0, header.size, 0, 0, 0, 0, nameBytes.length, 0];
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

/** The archive as a stream of chunks, ending with TRAILER!!! padded to 4 bytes. */
export async function* cpioChunks(entries: readonly CpioEntry[]): AsyncGenerator<Buffer> {
  const sorted = entries.map((entry) => ({ ...entry, name: normalizeEntryName(entry.name) })).sort(compareNames);
  let ino = 0;
  for (const entry of sorted) {
    ino += 1;
    if (sorted[ino]?.name === entry.name) throw new BuildError(`cpio entry ${JSON.stringify(entry.name)} appears twice`);
    const perm = (entry.type === 'symlink' ? 0o777 : entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644)) & 0o7777;
    if (entry.type === 'dir') {
      yield encodeHeader({ ino, mode: S_IFDIR | perm, nlink: 2, size: 0, name: entry.name });
    } else if (entry.type === 'symlink') {
      const target = Buffer.from(entry.target, 'utf8');
      yield encodeHeader({ ino, mode: S_IFLNK | perm, nlink: 1, size: target.length, name: entry.name });
      yield Buffer.concat([target, Buffer.alloc(pad4(target.length))]);
    } else if ('data' in entry) {
      yield encodeHeader({ ino, mode: S_IFREG | perm, nlink: 1, size: entry.data.length, name: entry.name });
      yield Buffer.concat([entry.data, Buffer.alloc(pad4(entry.data.length))]);
    } else {
      yield encodeHeader({ ino, mode: S_IFREG | perm, nlink: 1, size: entry.size, name: entry.name });
      let seen = 0;
      for await (const chunk of createReadStream(entry.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        seen += chunk.length;
        if (seen > entry.size) break;
        yield chunk;
      }
      if (seen !== entry.size) throw new BuildError(`${entry.path} changed size while being archived (expected ${entry.size} bytes, read ${seen})`);
      yield Buffer.alloc(pad4(entry.size));
    }
  }
  yield encodeHeader({ ino: 0, mode: 0, nlink: 1, size: 0, name: TRAILER });
}
