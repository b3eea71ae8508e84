/**
 * The files metalboot ships into every rootfs image (units, scripts, drop-ins), from `rootfs/` at
 * the package root. Modes are set here, not taken from the checkout (a umask must not change the
 * image): executables 0755, the rest 0644, directories 0755; everything owned by root.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../paths.js';
import { entriesFromDir } from '../../initrd/fs-entries.js';

export const SHIPPED_DIR = join(PACKAGE_ROOT, 'rootfs');

export type ShippedEntry =
  | { readonly type: 'dir'; readonly path: string }
  | { readonly type: 'file'; readonly path: string; readonly mode: number; readonly data: Buffer }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string };

export async function readShipped(dir = SHIPPED_DIR): Promise<ShippedEntry[]> {
  const out: ShippedEntry[] = [];
  for (const entry of await entriesFromDir(dir)) {
    if (entry.type === 'dir') out.push({ type: 'dir', path: entry.name });
    else if (entry.type === 'symlink') out.push({ type: 'symlink', path: entry.name, target: entry.target });
    else if (entry.type === 'file' && 'path' in entry) {
      out.push({ type: 'file', path: entry.name, mode: (entry.mode ?? 0) & 0o100 ? 0o755 : 0o644, data: await readFile(entry.path) });
    }
  }
  return out;
}

/** One digest for the whole set (paths, modes, contents, link targets). Pure. */
export function shippedDigest(entries: readonly ShippedEntry[]): string {
  const hash = createHash('sha256');
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (entry.type === 'dir') hash.update(`d ${entry.path}\n`);
    else if (entry.type === 'symlink') hash.update(`l ${entry.path} ${entry.target}\n`);
    else hash.update(`f ${entry.path} ${entry.mode.toString(8)} ${createHash('sha256').update(entry.data).digest('hex')}\n`);
  }
  return hash.digest('hex');
}
