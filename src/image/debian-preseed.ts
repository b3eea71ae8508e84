/** The device-independent preseed injected as /preseed.cfg (shipped as preseed/inject.cfg). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

export const EARLY_MARKER = 'METALBOOT-PRESEED-EARLY';

export async function injectedPreseed(): Promise<string> {
  return readFile(join(PACKAGE_ROOT, 'preseed', 'inject.cfg'), 'utf8');
}
