/**
 * Makes sure this host has the Debian packages a consumer needs (packages.ts): as root it installs
 * what is missing, otherwise it stops with the exact apt-get line. Used by the demo, the vitest
 * global setup and .ci/run.
 */
import { MetalbootError } from '../errors.js';
import { aptLine, installPackages } from './apt.js';
import { missingPackages } from './files.js';
import type { DebianPackage } from './packages.js';

export interface EnsureOptions {
  /** Progress lines ("installing …"). */
  readonly log?: (line: string) => void;
  /** Default: this process runs as root. */
  readonly root?: boolean;
  /** Runs the install (default: apt-get update + install). */
  readonly install?: (packages: readonly DebianPackage[]) => Promise<void>;
}

/** Returns the packages it installed (none when nothing was missing). */
export async function ensurePackages(packages: readonly DebianPackage[], options: EnsureOptions = {}): Promise<DebianPackage[]> {
  const missing = await missingPackages(packages);
  if (missing.length === 0) return [];
  const names = missing.map((pkg) => pkg.name).join(' ');
  if (!(options.root ?? process.getuid?.() === 0)) {
    throw new MetalbootError(`these Debian packages are not installed: ${names}`, {
      code: 'E_HOST_PACKAGES',
      hint: `install them as root: ${aptLine(missing)}`,
    });
  }
  options.log?.(`installing Debian packages: ${names}`);
  await (options.install ?? installPackages)(missing);
  const still = await missingPackages(missing);
  if (still.length > 0) {
    const files = still.flatMap((pkg) => pkg.proves.map((file) => `${file} (${pkg.name})`)).join(', ');
    throw new MetalbootError(`apt-get installed ${names}, but some of their files are still missing: ${files}`, {
      code: 'E_HOST_PACKAGES',
      hint: 'the package list in src/host/packages.ts names files this Debian release does not install; fix the list',
    });
  }
  return missing;
}
