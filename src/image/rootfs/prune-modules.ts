/** Drops the kernel modules a rootfs image does not keep (modules.ts decides), then re-runs depmod. */
import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../../errors.js';
import { parseModulesDep, selectModules } from './modules.js';

export interface PruneResult {
  readonly kept: number;
  readonly dropped: number;
  readonly unmatched: readonly string[];
}

/** The one kernel version under usr/lib/modules (a rootfs image has exactly one kernel). */
export async function kernelVersionOf(root: string): Promise<string> {
  const versions = await readdir(join(root, 'usr/lib/modules')).catch(() => []);
  if (versions.length !== 1) {
    throw new BuildError(`the root filesystem has ${versions.length === 0 ? 'no kernel' : `${versions.length} kernels (${versions.join(', ')})`} under /usr/lib/modules; a rootfs image needs exactly one`, {
      hint: 'list one linux-image-* package (the default is linux-image-amd64 / linux-image-arm64)',
    });
  }
  return versions[0]!;
}

export async function pruneModules(root: string, version: string, wanted: readonly string[], depmod: () => Promise<void>): Promise<PruneResult> {
  const dir = join(root, 'usr/lib/modules', version);
  const deps = parseModulesDep(await readFile(join(dir, 'modules.dep'), 'utf8'));
  const { keep, unmatched } = selectModules(deps, wanted);
  let dropped = 0;
  for (const file of deps.keys()) {
    if (keep.has(file)) continue;
    await rm(join(dir, file), { force: true });
    dropped += 1;
  }
  await removeEmptyDirs(join(dir, 'kernel'));
  await depmod();
  return { kept: keep.size, dropped, unmatched };
}

/** Removes empty directories below (and including) `dir`; true when `dir` itself went. */
async function removeEmptyDirs(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  let left = entries.length;
  for (const entry of entries) {
    if (entry.isDirectory() && (await removeEmptyDirs(join(dir, entry.name)))) left -= 1;
  }
  if (left > 0) return false;
  await rmdir(dir);
  return true;
}
