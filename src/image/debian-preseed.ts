/** The device-independent preseed injected as /preseed.cfg (shipped as preseed/inject.cfg). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The repo's (or package's) top-level directory: src/image/ and dist/src/image/ both resolve. */
export function shippedFile(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

export const EARLY_MARKER = 'METALBOOT-PRESEED-EARLY';

export async function injectedPreseed(): Promise<string> {
  return readFile(shippedFile('preseed/inject.cfg'), 'utf8');
}
