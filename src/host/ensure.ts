/**
 * Makes sure this host has the Debian packages a consumer needs (packages.ts): as root it installs
 * what is missing (apt-get; a package with `unpackInto` is fetched and unpacked instead, unpack.ts),
 * otherwise it stops with the exact command lines. Used by the demo, the vitest global setup and
 * .ci/run.
 */
import { MetalbootError } from '../errors.js';
import { aptLine, installPackages } from './apt.js';
import { missingPackages } from './files.js';
import type { DebianPackage } from './packages.js';
import { aptName } from './packages.js';
import { unpackPackage } from './unpack.js';

export interface EnsureOptions {
  /** Progress lines ("installing …"). */
  readonly log?: (line: string) => void;
  /** Default: this process runs as root. */
  readonly root?: boolean;
  /** Runs the install (default: apt-get update + install). */
  readonly install?: (packages: readonly DebianPackage[]) => Promise<void>;
  /** Fetches and unpacks one `unpackInto` package (default: unpack.ts). */
  readonly unpack?: (pkg: DebianPackage) => Promise<void>;
}

/** How a person gets what is missing, as root: the apt-get line, and the unpacking step. */
export function installHint(missing: readonly DebianPackage[]): string {
  const installed = missing.filter((pkg) => !pkg.unpackInto);
  const unpacked = missing.filter((pkg) => pkg.unpackInto);
  return [
    ...(installed.length > 0 ? [`install them as root: ${aptLine(installed)}`] : []),
    ...unpacked.map((pkg) => `as root, \`npx tsx src/host/install.ts\` fetches ${aptName(pkg)} through a private apt configuration and unpacks it into ${pkg.unpackInto} (nothing is installed)`),
  ].join('; ');
}

/** Returns the packages it installed or unpacked (none when nothing was missing). */
export async function ensurePackages(packages: readonly DebianPackage[], options: EnsureOptions = {}): Promise<DebianPackage[]> {
  const missing = await missingPackages(packages);
  if (missing.length === 0) return [];
  const names = missing.map(aptName).join(' ');
  if (!(options.root ?? process.getuid?.() === 0)) {
    throw new MetalbootError(`these Debian packages are not installed: ${names}`, { code: 'E_HOST_PACKAGES', hint: installHint(missing) });
  }
  // apt-get first: unpacking another suite's package needs apt and the archive keyring.
  const installed = missing.filter((pkg) => !pkg.unpackInto);
  if (installed.length > 0) {
    options.log?.(`installing Debian packages: ${installed.map(aptName).join(' ')}`);
    await (options.install ?? installPackages)(installed);
  }
  for (const pkg of missing.filter((p) => p.unpackInto)) {
    options.log?.(`unpacking ${aptName(pkg)} into ${pkg.unpackInto}`);
    await (options.unpack ?? unpackPackage)(pkg);
  }
  const still = await missingPackages(missing);
  if (still.length > 0) {
    const files = still.flatMap((pkg) => pkg.proves.map((file) => `${file} (${pkg.name})`)).join(', ');
    throw new MetalbootError(`${names} installed or unpacked, but some of their files are still missing: ${files}`, {
      code: 'E_HOST_PACKAGES',
      hint: 'the package list in src/host/packages.ts names files this Debian release does not install; fix the list',
    });
  }
  return missing;
}
