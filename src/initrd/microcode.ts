/**
 * Early microcode: an UNCOMPRESSED newc cpio holding kernel/x86/microcode/GenuineIntel.bin and/or
 * AuthenticAMD.bin, placed first in the initrd (Documentation/arch/x86/microcode.rst). Intel files
 * (intel-ucode/ff-mm-ss as Intel ships them) are concatenated; so are AMD microcode_amd*.bin files.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { BuildError } from '../errors.js';
import type { CpioEntry } from './cpio.js';
import { withParents } from './cpio.js';

export const INTEL_PATH = 'kernel/x86/microcode/GenuineIntel.bin';
export const AMD_PATH = 'kernel/x86/microcode/AuthenticAMD.bin';

const AMD_NAME = /^microcode_amd.*\.bin$/i;
const INTEL_NAME = /^([0-9a-f]{2}-[0-9a-f]{2}-[0-9a-f]{2}(\.[a-z0-9_-]+)?|GenuineIntel\.bin)$/i;

export interface MicrocodeFiles {
  readonly intel: readonly string[];
  readonly amd: readonly string[];
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    const info = await stat(path);
    if (info.isDirectory()) out.push(...(await walk(path)));
    else if (info.isFile()) out.push(path);
  }
  return out;
}

/** Finds Intel and AMD microcode files under `dir` (sorted, so the concatenation is reproducible). */
export async function findMicrocode(dir: string): Promise<MicrocodeFiles> {
  let files: string[];
  try {
    files = await walk(dir);
  } catch (error) {
    throw new BuildError(`microcode directory ${dir} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const amd = files.filter((file) => AMD_NAME.test(basename(file)));
  const intel = files.filter((file) => INTEL_NAME.test(basename(file)) || relative(dir, file).split('/').includes('intel-ucode'));
  if (intel.length === 0 && amd.length === 0) {
    throw new BuildError(`microcode directory ${dir} holds no Intel (intel-ucode/ff-mm-ss) or AMD (microcode_amd*.bin) files`, {
      hint: 'point "microcode" at a directory like /lib/firmware (intel-ucode/, amd-ucode/) or remove it',
    });
  }
  return { intel, amd };
}

/** Microcode is a few MB at most (bounded, unlike the initrd), so the concatenation is held in memory. */
async function concatenate(files: readonly string[]): Promise<Buffer> {
  return Buffer.concat(await Promise.all(files.map((file) => readFile(file))));
}

export async function microcodeEntries(dir: string): Promise<CpioEntry[]> {
  const { intel, amd } = await findMicrocode(dir);
  const entries: CpioEntry[] = [];
  if (intel.length > 0) entries.push({ type: 'file', name: INTEL_PATH, mode: 0o644, data: await concatenate(intel) });
  if (amd.length > 0) entries.push({ type: 'file', name: AMD_PATH, mode: 0o644, data: await concatenate(amd) });
  return withParents(entries);
}
