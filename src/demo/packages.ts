/** The Debian packages the demo needs, which are missing, and how to install them. */
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { hostRequirements, missingRequirements } from '../providers/qemu/host-check.js';
import { NETBOOT_KERNEL, NETBOOT_PACKAGE } from './netboot.js';

export { NETBOOT_PACKAGE } from './netboot.js';

/** Missing Debian packages for a BIOS and UEFI demo, in a stable order. */
export async function missingPackages(): Promise<string[]> {
  const reqs = [...hostRequirements({ firmware: 'bios' }), ...hostRequirements({ firmware: 'uefi' })];
  const missing = new Set((await missingRequirements(reqs)).map((r) => r.debianPackage));
  if (!existsSync(NETBOOT_KERNEL)) missing.add(NETBOOT_PACKAGE);
  return [...missing].sort();
}

export function aptLine(packages: readonly string[]): string {
  return `apt-get install -y ${packages.join(' ')}`;
}

/** apt-get update + install, output passed through (root only). */
export async function installPackages(packages: readonly string[]): Promise<void> {
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await execa('apt-get', ['update'], { stdio: 'inherit', env });
  await execa('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}
