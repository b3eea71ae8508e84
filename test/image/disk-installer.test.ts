/**
 * The disk installer's target choice (rootfs/usr/lib/metalboot/install-target), run here on the host
 * with the kernel line in a file and `lsblk` answering from a fixture (the only stand-in: its
 * output format is what lsblk -b -d -n -p -o NAME,TYPE,RM,SIZE prints). The image runs the same script.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SHIPPED_DIR } from '../../src/image/rootfs/shipped.js';

const SCRIPT = join(SHIPPED_DIR, 'usr/lib/metalboot/install-target');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function target(cmdline: string, lsblk: string): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-target-'));
  dirs.push(dir);
  await writeFile(join(dir, 'cmdline'), `${cmdline}\n`);
  await writeFile(join(dir, 'lsblk.out'), lsblk);
  await writeFile(join(dir, 'lsblk'), `#!/bin/sh\n[ "$*" = "-b -d -n -p -o NAME,TYPE,RM,SIZE" ] || exit 64\ncat "${join(dir, 'lsblk.out')}"\n`);
  await chmod(join(dir, 'lsblk'), 0o755);
  const result = await execa(SCRIPT, [], { env: { METALBOOT_CMDLINE: join(dir, 'cmdline'), PATH: `${dir}:${process.env.PATH ?? ''}` }, reject: false });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const DISKS = [
  '/dev/loop0  loop 0  104857600',
  '/dev/sr0    rom  1  1073741824',
  '/dev/zram0  disk 0  536870912',
  '/dev/sda    disk 1  16000000000', // removable (a USB stick)
  '/dev/vdb    disk 0  0',          // empty
  '/dev/nvme0n1 disk 0 4294967296',
  '/dev/vda    disk 0  4294967296',
  '',
].join('\n');

describe('install-target', () => {
  it('takes the first whole, non-removable, non-empty disk that is not loop, ram, sr or zram', async () => {
    expect(await target('BOOT_IMAGE=x quiet', DISKS)).toMatchObject({ exitCode: 0, stdout: '/dev/nvme0n1' });
  });

  it('refuses to guess with no such disk, saying what to set', async () => {
    const result = await target('quiet', DISKS.split('\n').slice(0, 5).join('\n'));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no disk to install to');
    expect(result.stderr).toContain('set metalboot.target=/dev/<disk> in the image\'s kernel_args');
  });

  it('takes metalboot.target= when it is a block device, and refuses one that is not', async () => {
    const block = (await execa('sh', ['-c', 'for d in /dev/loop0 /dev/ram0 /dev/vda /dev/sda /dev/nvme0n1; do [ -b $d ] && echo $d && break; done', ], { reject: false })).stdout;
    if (block) expect(await target(`quiet metalboot.target=${block}`, '')).toMatchObject({ exitCode: 0, stdout: block });
    const missing = await target('metalboot.target=/dev/nope0 quiet', DISKS);
    expect(missing).toMatchObject({ exitCode: 1, stdout: '' });
    expect(missing.stderr).toContain('metalboot.target=/dev/nope0 is not a block device');
    expect((await target('metalboot.target=/etc/passwd', DISKS)).exitCode).toBe(1);
  });
});
