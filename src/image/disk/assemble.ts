/**
 * Assembles the installed system's disk image from an mmdebstrap root: disk/assemble.sh makes the
 * file systems and GRUB's boot blocks (chroot steps, mkfs), then this lays them out (layout.ts) in a
 * raw file: sfdisk writes the GPT, the blocks are written at their offsets. No loop devices.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { BuildError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';
import type { BuildLog } from '../rootfs/mmdebstrap-run.js';
import { SECTOR, bootSector, diskLayout, patchedCore, sfdiskScript } from './layout.js';
import type { DiskLayout } from './layout.js';
import { GZIP_ARGS } from './plan.js';

export const ASSEMBLE_SCRIPT = join(PACKAGE_ROOT, 'disk', 'assemble.sh');

/** Runs assemble.sh: `work`/root.ext4, esp.vfat, core.img, boot.img. */
export async function assembleParts(root: string, work: string, shippedDir: string, log: BuildLog): Promise<void> {
  const child = execa('bash', [ASSEMBLE_SCRIPT, root, work, shippedDir], { all: true, buffer: false, reject: false, stdin: 'ignore' });
  const tail: string[] = [];
  for await (const line of child.iterable({ from: 'all' })) {
    const text = String(line);
    tail.push(text);
    if (tail.length > 20) tail.shift();
    if (text.startsWith('assemble: ')) log(`disk ${text}`);
  }
  const result = await child;
  if (result.exitCode !== 0) {
    throw new BuildError(`assembling the disk image failed (exit ${result.exitCode ?? result.signal}): ${tail.slice(-5).join(' / ')}`, {
      hint: 'the host needs e2fsprogs, dosfstools, mtools and fdisk (metalboot host packages); the previous image still serves',
    });
  }
}

/** Lays the parts out on a GPT disk in `raw`. Returns the layout written. */
export async function writeRawDisk(work: string, raw: string): Promise<DiskLayout> {
  const part = (name: string): string => join(work, name);
  const layout = diskLayout((await stat(part('esp.vfat'))).size, (await stat(part('root.ext4'))).size);
  const handle = await open(raw, 'w');
  try {
    await handle.truncate(layout.totalSectors * SECTOR);
  } finally {
    await handle.close();
  }
  const sfdisk = await execa('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', raw], { input: sfdiskScript(layout), reject: false });
  if (sfdisk.exitCode !== 0) {
    const missing = (sfdisk as { code?: string }).code === 'ENOENT';
    throw new BuildError(missing ? 'sfdisk is not installed: it writes the disk image\'s partition table' : `sfdisk failed: ${String(sfdisk.stderr).trim()}`, {
      hint: 'apt-get install fdisk',
    });
  }
  const file = await open(raw, 'r+');
  try {
    const mbr = Buffer.alloc(SECTOR);
    await file.read(mbr, 0, SECTOR, 0);
    await file.write(bootSector(await readFile(part('boot.img')), mbr, layout.bios.start), 0, SECTOR, 0);
    const core = patchedCore(await readFile(part('core.img')), layout.bios.start, layout.bios.sectors);
    await file.write(core, 0, core.length, layout.bios.start * SECTOR);
  } finally {
    await file.close();
  }
  await copyAt(part('esp.vfat'), raw, layout.esp.start * SECTOR);
  await copyAt(part('root.ext4'), raw, layout.root.start * SECTOR);
  return layout;
}

async function copyAt(from: string, to: string, offset: number): Promise<void> {
  await pipeline(createReadStream(from, { highWaterMark: 4 << 20 }), createWriteStream(to, { flags: 'r+', start: offset }));
}

export async function gzipInto(raw: string, out: string): Promise<void> {
  // the shell redirects: the output never passes through this process
  const result = await execa('sh', ['-c', 'gzip "$@" > "$0"', out, ...GZIP_ARGS, raw], { reject: false, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new BuildError(`gzip of the disk image failed (exit ${result.exitCode ?? result.signal}): ${String(result.stderr).trim().slice(0, 500)}`);
}
