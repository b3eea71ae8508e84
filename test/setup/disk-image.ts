/**
 * vitest global setup of `npm run test:install`, after the packages and the RAM image: builds the
 * `disk` image of test/fixtures/disk-image.yaml with the product's builder (`buildImage`: the RAM
 * installer and the installed system's disk image, mmdebstrap from Debian's archive: the only
 * network this suite uses) once into the cache outside the clone, so the install test runs offline.
 * Not root: nothing is built and the install test skips (it says so).
 */
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { buildImage } from '../../src/image/build.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { diskTestState } from './cache.js';

export const DISK_IMAGE_CONFIG = join(PACKAGE_ROOT, 'test/fixtures/disk-image.yaml');

export default async function setup(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const started = Date.now();
  const config = await loadConfig(DISK_IMAGE_CONFIG);
  const result = await buildImage(config, 'disk', { stateDir: diskTestState(), log: (line) => console.log(`[setup] ${line}`) });
  console.log(`[setup] disk image → ${result.manifestPath} (${Math.round((Date.now() - started) / 1000)} s)`);
}
