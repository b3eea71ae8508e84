/**
 * What a mirror serves, read from the generation its symlink points at: every file its record
 * lists (indexes and pool files, with the sha256 and size checked when they were placed), the
 * indexes' by-hash twins, and the three signed Release files (hashed here: the record does not list
 * them). Only these paths are served: a request for anything else is not a file of the mirror.
 * `<out>` swaps generations with one rename(2); the server reloads when the target changes.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byHashPath, RELEASE_FILES, suiteDir } from './index-files.js';
import { MIRROR_RECORD } from './paths.js';
import type { MirrorRecord } from './types.js';

export interface ServedFile {
  readonly sha256: string;
  /** Content-addressed URL (pool/ and by-hash/): its bytes never change, so clients may cache it forever. */
  readonly immutable: boolean;
}

export interface ServedMirror {
  /** The generation directory (absolute, symlinks resolved). */
  readonly generation: string;
  readonly files: ReadonlyMap<string, ServedFile>;
}

/** A path relative to the mirror root: plain segments only (no `.`/`..`, no empty or hidden ones). */
const RELATIVE = /^(?:[A-Za-z0-9+_~-][A-Za-z0-9.+_~-]*\/)*[A-Za-z0-9+_~-][A-Za-z0-9.+_~-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

export function isMirrorPath(path: string): boolean {
  return path.length <= 1024 && RELATIVE.test(path);
}

/** Reads a generation's record into the map of served files. */
export async function loadServedMirror(generation: string): Promise<ServedMirror> {
  const record = JSON.parse(await readFile(join(generation, MIRROR_RECORD), 'utf8')) as MirrorRecord;
  const files = new Map<string, ServedFile>();
  const add = (path: string, sha256: string, immutable: boolean): void => {
    if (isMirrorPath(path) && SHA256.test(sha256)) files.set(path, { sha256, immutable });
  };
  for (const file of record.files) {
    const pool = file.path.startsWith('pool/');
    add(file.path, file.sha256, pool);
    if (!pool) add(byHashPath(file), file.sha256, true);
  }
  for (const name of RELEASE_FILES) {
    const path = `${suiteDir(record.release)}/${name}`;
    const data = await readFile(join(generation, path)).catch(() => undefined);
    if (data) add(path, createHash('sha256').update(data).digest('hex'), false);
  }
  return { generation, files };
}
