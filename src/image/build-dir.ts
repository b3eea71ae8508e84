/**
 * What the long builders (rootfs, disk) share once a build is complete: the finished directory,
 * made in the store's tmp/, replaces the cached one in one rename (a failed build never got here,
 * so the previous cache entry stays); and how their log lines show sizes.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function publishBuild(finished: string, cacheDir: string): Promise<void> {
  await mkdir(dirname(cacheDir), { recursive: true });
  await rm(cacheDir, { recursive: true, force: true });
  await rename(finished, cacheDir);
}

export function mib(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}
