/** Whether files and programs are on this host (the proof that a Debian package is installed). */
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { DebianPackage } from './packages.js';

export async function isAccessible(path: string, mode: number = constants.R_OK): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** Resolves a program name on PATH (plus the sbin directories, where `ip` lives). */
export async function findProgram(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (name.includes('/')) return (await isAccessible(name, constants.X_OK)) ? name : undefined;
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (await isAccessible(candidate, constants.X_OK)) return candidate;
  }
  return undefined;
}

/** The packages some of whose files are missing, in the order given. */
export async function missingPackages(packages: readonly DebianPackage[]): Promise<DebianPackage[]> {
  const missing: DebianPackage[] = [];
  for (const pkg of packages) {
    const present = await Promise.all(pkg.proves.map((file) => isAccessible(file)));
    if (present.includes(false)) missing.push(pkg);
  }
  return missing;
}
