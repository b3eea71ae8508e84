/** Where the package's shipped files (ipxe/, preseed/, kickstart/, linuxkit/) live. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: src/paths.ts and dist/paths.js are both one level below it. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
