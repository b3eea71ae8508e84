/**
 * Leftovers in tmp/: every temp name is `<label>.<pid>.<12 hex>` (layout.ts tmpPath). An entry whose
 * process no longer runs was abandoned by a kill or a crash (an upload cut off, a build stopped) and
 * is removed; entries of running processes (a build next to the server) and names that are not ours
 * are left alone.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpDir } from './layout.js';

const TMP_NAME = /\.(\d+)\.[0-9a-f]{12}$/;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StaleTmpResult {
  readonly removed: readonly string[];
  readonly failed: ReadonlyArray<{ readonly name: string; readonly error: string }>;
}

/** Removes tmp/ entries left by processes that are gone; best-effort, says what it did. */
export async function removeStaleTmp(stateDir: string): Promise<StaleTmpResult> {
  const dir = tmpDir(stateDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  const failed: Array<{ name: string; error: string }> = [];
  for (const name of names) {
    const pid = Number(TMP_NAME.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    try {
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch (error) {
      failed.push({ name, error: (error as Error).message });
    }
  }
  return { removed, failed };
}
