import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { CpioEntry } from '../../src/initrd/cpio.js';
import { S_IFCHR, cpioChunks, encodeHeader, normalizeEntryName, withParents } from '../../src/initrd/cpio.js';
import { listCpio, readCpioArchives } from '../../src/initrd/cpio-reader.js';
import { gzipChunks } from '../../src/initrd/gzip.js';
import { collect, once, useTmp } from './helpers.js';

const tmp = useTmp();

const sample = (): CpioEntry[] => withParents([
  { type: 'file', name: 'etc/hostname', data: Buffer.from('box\n') },
  { type: 'file', name: '/bin/init', mode: 0o755, data: Buffer.from('#!/bin/sh\necho hi\n') },
  { type: 'symlink', name: 'sbin', target: 'bin' },
  { type: 'dir', name: 'empty', mode: 0o700 },
  { type: 'file', name: 'odd', data: Buffer.alloc(5, 0x61) },
]);

describe('newc cpio writer and reader', () => {
  it('round-trips files, directories, symlinks and modes in sorted order', async () => {
    const bytes = await collect(cpioChunks(sample()));
    expect(bytes.length % 4).toBe(0);
    const entries = await listCpio(once(bytes));
    expect(entries.map((e) => e.name)).toEqual(['bin', 'bin/init', 'empty', 'etc', 'etc/hostname', 'odd', 'sbin']);
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(byName['bin/init']!.mode).toBe(0o100755);
    expect(byName['bin/init']!.data.toString()).toBe('#!/bin/sh\necho hi\n');
    expect(byName.empty!.mode).toBe(0o040700);
    expect(byName.sbin!.type).toBe('symlink');
    expect(byName.sbin!.target).toBe('bin');
    expect(byName.odd!.data.toString()).toBe('aaaaa');
    expect(entries.every((e) => e.mtime === 0 && e.uid === 0 && e.gid === 0)).toBe(true);
    expect(bytes.subarray(-16).toString('latin1')).toContain('TRAILER!!!');
  });

  it('streams file entries from disk', async () => {
    const dir = await tmp();
    const path = join(dir, 'big');
    const data = Buffer.alloc(3 * 1024 * 1024 + 3, 7);
    await writeFile(path, data);
    const bytes = await collect(cpioChunks([{ type: 'file', name: 'big', path, size: data.length }]));
    const [entry] = await listCpio(once(bytes.subarray(0)));
    expect(entry!.data.equals(data)).toBe(true);
  });

  it('is reproducible: same entries in any order give the same bytes, gzip included', async () => {
    const a = await collect(gzipChunks(cpioChunks(sample())));
    const b = await collect(gzipChunks(cpioChunks(sample().reverse())));
    expect(a.equals(b)).toBe(true);
    expect(a.readUInt32LE(4)).toBe(0); // gzip MTIME field
  });

  it('is listed by GNU cpio -t and extracted with modes and symlinks', async () => {
    const dir = await tmp();
    const archive = join(dir, 'a.cpio');
    await writeFile(archive, await collect(cpioChunks(sample())));
    const { stdout } = await execa('cpio', ['-t', '--quiet', '-F', archive]);
    expect(stdout.split('\n')).toEqual(['bin', 'bin/init', 'empty', 'etc', 'etc/hostname', 'odd', 'sbin']);
    const { stdout: long } = await execa('cpio', ['-tv', '--quiet', '-F', archive]);
    expect(long).toMatch(/-rwxr-xr-x .* bin\/init/);
    expect(long).toMatch(/lrwxrwxrwx .* sbin -> bin/);
  });

  it('reads what GNU cpio writes', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'f'), 'from gnu\n');
    const { stdout } = await execa('cpio', ['-o', '-H', 'newc', '--quiet'], { cwd: dir, input: 'f\n', encoding: 'buffer' });
    const entries = await listCpio(once(Buffer.from(stdout)));
    expect(entries.map((e) => [e.name, e.data.toString()])).toEqual([['f', 'from gnu\n']]);
  });

  it('reads concatenated archives separated by zero padding', async () => {
    const one = await collect(cpioChunks([{ type: 'file', name: 'a', data: Buffer.from('1') }]));
    const two = await collect(cpioChunks([{ type: 'file', name: 'b', data: Buffer.from('2') }]));
    const names: string[] = [];
    for await (const entry of readCpioArchives(once(Buffer.concat([one, Buffer.alloc(512), two])))) names.push(entry.name);
    expect(names).toEqual(['a', 'b']);
  });

  it('keeps owners and device nodes, which GNU cpio lists as written', async () => {
    const dir = await tmp();
    const archive = join(dir, 'a.cpio');
    await writeFile(archive, await collect(cpioChunks([
      { type: 'node', name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 },
      { type: 'file', name: 'etc/shadow', mode: 0o640, gid: 42, data: Buffer.from('root:*:0::::::\n') },
      { type: 'dir', name: 'var/mail', mode: 0o2775, gid: 8 },
    ])));
    const { stdout } = await execa('cpio', ['-tv', '--numeric-uid-gid', '--quiet', '-F', archive]);
    expect(stdout).toMatch(/^crw------- +1 0 +0 +5, +1 .* dev\/console$/m);
    expect(stdout).toMatch(/^-rw-r----- +1 0 +42 .* etc\/shadow$/m);
    expect(stdout).toMatch(/^drwxrwsr-x +2 0 +8 .* var\/mail$/m);
    const entries = await listCpio(once(await collect(cpioChunks([{ type: 'file', name: 'x', uid: 7, gid: 9, data: Buffer.from('') }]))));
    expect([entries[0]!.uid, entries[0]!.gid]).toEqual([7, 9]);
  });

  it('writes hard links as one inode with the data on the last name, and GNU cpio extracts them linked', async () => {
    const dir = await tmp();
    const source = join(dir, 'perl');
    await writeFile(source, 'binary\n');
    const archive = join(dir, 'a.cpio');
    await writeFile(archive, await collect(cpioChunks([
      { type: 'file', name: 'usr/bin/perl5.36.0', mode: 0o755, path: source, size: 7, linkGroup: 'perl' },
      { type: 'file', name: 'usr/bin/perl', mode: 0o755, path: source, size: 7, linkGroup: 'perl' },
      { type: 'file', name: 'usr/bin/other', path: source, size: 7 },
    ])));
    const entries = await listCpio(once(await collect(cpioChunks([
      { type: 'file', name: 'b', path: source, size: 7, linkGroup: 'g' },
      { type: 'file', name: 'a', path: source, size: 7, linkGroup: 'g' },
    ]))));
    expect(entries.map((e) => [e.name, e.size])).toEqual([['a', 0], ['b', 7]]);
    const out = join(dir, 'out');
    await mkdir(out);
    await execa('cpio', ['-idm', '--quiet', '-F', archive], { cwd: out });
    const [perl, versioned, other] = await Promise.all(['perl', 'perl5.36.0', 'other'].map((name) => stat(join(out, 'usr/bin', name))));
    expect(perl!.ino).toBe(versioned!.ino);
    expect(perl!.nlink).toBe(2);
    expect(perl!.size).toBe(7);
    expect(other!.ino).not.toBe(perl!.ino);
  });

  it('rejects unsafe names, duplicates and truncated archives with clear errors', async () => {
    expect(() => normalizeEntryName('../etc/passwd')).toThrow(/not a clean relative path/);
    await expect(collect(cpioChunks([{ type: 'dir', name: 'x' }, { type: 'dir', name: '/x' }]))).rejects.toThrow(/appears twice/);
    const bytes = await collect(cpioChunks(sample()));
    await expect(listCpio(once(bytes.subarray(0, 200)))).rejects.toThrow(/truncated/);
    await expect(listCpio(once(Buffer.from('garbage'.repeat(20))))).rejects.toThrow(/not a newc cpio header/);
    expect(encodeHeader({ ino: 1, mode: 0, nlink: 1, size: 0, name: 'ab' }).length % 4).toBe(0);
  });
});
