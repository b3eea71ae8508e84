/**
 * Installing Debian packages: the exact apt-get command line (shown to people who are not root)
 * and running it. Other processes may hold the dpkg lock (another apt, unattended upgrades), so
 * every install waits for it instead of failing.
 */
import { execa } from 'execa';
import type { DebianPackage } from './packages.js';
import { aptName } from './packages.js';

const LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=900'];

/** apt-get's argv (without the program) that installs `packages`. */
export function aptInstallArgs(packages: readonly DebianPackage[]): string[] {
  return [...LOCK_WAIT, 'install', '-y', '--no-install-recommends', ...packages.map(aptName)];
}

/** The command line a person runs as root: exactly what `installPackages` runs. */
export function aptLine(packages: readonly DebianPackage[]): string {
  return ['apt-get', ...aptInstallArgs(packages)].join(' ');
}

/** `apt-get update`, then the install; apt's output goes to `output` (root only). */
export async function installPackages(packages: readonly DebianPackage[], output: 'inherit' | 'ignore' = 'inherit'): Promise<void> {
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await execa('apt-get', [...LOCK_WAIT, 'update'], { stdio: ['ignore', output, output], env });
  await execa('apt-get', aptInstallArgs(packages), { stdio: ['ignore', output, output], env });
}
