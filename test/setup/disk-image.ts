/**
 * vitest global setup of `npm run test:install`, after the packages and the RAM image: builds the
 * installed system's disk image (mmdebstrap from Debian's archive: the only network this suite
 * uses) once into the cache outside the clone, so the install test itself runs offline.
 * Not root: nothing is built and the install test skips (it says so).
 */
import { diskImage } from '../install/helpers/disk-image.js';
import { testCacheDir } from './cache.js';

export default async function setup(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const disk = await diskImage(testCacheDir());
  console.log(`[setup] installed system's disk image → ${disk}`);
}
