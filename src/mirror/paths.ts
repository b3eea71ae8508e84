/**
 * Where mirrors and their cache live (one rule for `metalboot mirror` and, later, `serve`):
 *   <cache>/<sha256>            verified upstream files, content-addressed (the same scheme as the
 *                               image builder's download cache, so one cache serves both)
 *   <cache>/mirrors/<image>     the partial mirror of an image (a symlink to its current generation)
 * <cache> is $METALBOOT_CACHE_DIR when set, else <state_dir>/cache. Keep it outside the clone for
 * CI: a mirror is built once (network) and reused by later runs.
 */
import { join, resolve } from 'node:path';

export const CACHE_DIR_ENV = 'METALBOOT_CACHE_DIR';

export function cacheRoot(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CACHE_DIR_ENV];
  return fromEnv ? resolve(fromEnv) : join(stateDir, 'cache');
}

export function mirrorDir(cacheDir: string, image: string): string {
  return join(cacheDir, 'mirrors', image);
}

/** The build record each generation carries at its root. */
export const MIRROR_RECORD = 'metalboot-mirror.json';
