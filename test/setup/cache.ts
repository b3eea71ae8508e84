/**
 * Where the tests keep what setup steps build with the network (the rootfs RAM image, later the
 * Debian mirror): outside the clone, so a second run reuses it. $METALBOOT_CACHE_DIR, else
 * /var/cache/metalboot.
 */
import { join } from 'node:path';

export function testCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.METALBOOT_CACHE_DIR ?? '/var/cache/metalboot';
}

/** The state dir holding the rootfs RAM image the e2e boot uses (built by test/setup/artifacts.ts). */
export function rootfsTestState(env: NodeJS.ProcessEnv = process.env): string {
  return join(testCacheDir(env), 'rootfs-state');
}

/** The state dir holding the `disk` image the install e2e uses (built by test/setup/disk-image.ts). */
export function diskTestState(env: NodeJS.ProcessEnv = process.env): string {
  return join(testCacheDir(env), 'disk-state');
}
