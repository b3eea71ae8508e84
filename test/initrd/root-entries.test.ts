import { chmod, chown, link, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { S_IFIFO } from '../../src/initrd/cpio.js';
import { entriesFromRoot, majorOf, minorOf } from '../../src/initrd/root-entries.js';
import { useTmp } from './helpers.js';

const tmp = useTmp();
const isRoot = process.getuid?.() === 0;

describe('entries of a whole root filesystem', () => {
  it('lists a tree sorted, with owners, modes, symlinks, FIFOs and hard links, minus skipped paths', async () => {
    const root = await tmp();
    await mkdir(join(root, 'usr/bin'), { recursive: true });
    await mkdir(join(root, 'boot'));
    await writeFile(join(root, 'boot/vmlinuz'), 'kernel');
    await writeFile(join(root, 'usr/bin/perl'), 'perl\n');
    await link(join(root, 'usr/bin/perl'), join(root, 'usr/bin/perl5.36.0'));
    await symlink('usr/bin', join(root, 'bin'));
    await execa('mkfifo', ['-m', '0600', join(root, 'fifo')]);
    if (isRoot) await chown(join(root, 'usr/bin/perl'), 0, 42);
    await chmod(join(root, 'usr/bin/perl'), 0o4755);
    const entries = await entriesFromRoot(root, { skip: (path) => path === 'boot' });
    expect(entries.map((e) => `${e.type} ${e.name}`)).toEqual([
      'symlink bin', 'node fifo', 'dir usr', 'dir usr/bin', 'file usr/bin/perl', 'file usr/bin/perl5.36.0',
    ]);
    const [perl, versioned] = entries.filter((e) => e.name.startsWith('usr/bin/perl'));
    expect(perl).toMatchObject({ mode: 0o4755, size: 5, ...(isRoot ? { gid: 42 } : {}) });
    const group = (entry: unknown) => (entry as { linkGroup?: string }).linkGroup;
    expect(group(perl)).toMatch(/^\d+:\d+$/);
    expect(group(versioned)).toBe(group(perl));
    expect(entries.find((e) => e.name === 'fifo')).toMatchObject({ mode: S_IFIFO | 0o600 });
  });

  it('splits device numbers as glibc does', () => {
    const dev = (major: number, minor: number) => (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12);
    expect([majorOf(dev(5, 1)), minorOf(dev(5, 1))]).toEqual([5, 1]);
    expect([majorOf(dev(259, 300)), minorOf(dev(259, 300))]).toEqual([259, 300]);
  });
});
