/** A VM's qcow2 disk: created empty once, then kept across the VM's runs (as a server's disk is). */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { ProviderError } from '../errors.js';

export async function ensureDisk(path: string, sizeGb: number): Promise<string> {
  if (existsSync(path)) return path;
  await mkdir(dirname(path), { recursive: true });
  try {
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', path, `${sizeGb}G`]);
  } catch (error) {
    throw new ProviderError(`cannot create the VM disk ${path}: ${(error as Error).message}`, { hint: 'qemu-img comes with the Debian package qemu-utils' });
  }
  return path;
}
