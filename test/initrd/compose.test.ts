import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Compression } from '../../src/initrd/compression.js';
import { cpioChunks } from '../../src/initrd/cpio.js';
import { listCpio, readCpioArchives } from '../../src/initrd/cpio-reader.js';
import { decompressStream, sniffCompression, sniffFile } from '../../src/initrd/compression.js';
import { planCompose } from '../../src/initrd/compose.js';
import { entriesFromDir } from '../../src/initrd/fs-entries.js';
import { AMD_PATH, INTEL_PATH, microcodeEntries } from '../../src/initrd/microcode.js';
import { collect, useTmp, writePlan } from './helpers.js';

const tmp = useTmp();

async function makeBase(dir: string, compression: Compression): Promise<string> {
  const raw = join(dir, 'main.cpio');
  await writeFile(raw, await collect(cpioChunks([
    { type: 'dir', name: 'etc' },
    { type: 'file', name: 'init', mode: 0o755, data: Buffer.from('#!/bin/sh\n') },
    { type: 'file', name: 'etc/os-release', data: Buffer.from('ID=test\n') },
  ])));
  if (compression === 'none') return raw;
  const argv: Record<Exclude<Compression, 'none'>, string[]> = {
    gzip: ['gzip', '-n', '-k', raw], xz: ['xz', '--check=crc32', '-k', raw], zstd: ['zstd', '-q', raw],
    lz4: ['lz4', '-q', '-l', raw, `${raw}.lz4`], bzip2: ['bzip2', '-k', raw],
  };
  const ext = { gzip: 'gz', xz: 'xz', zstd: 'zst', lz4: 'lz4', bzip2: 'bz2' }[compression];
  const [cmd, ...args] = argv[compression];
  await execa(cmd!, args);
  return `${raw}.${ext}`;
}

async function makeMicrocode(dir: string): Promise<string> {
  const ucode = join(dir, 'ucode');
  await mkdir(join(ucode, 'intel-ucode'), { recursive: true });
  await mkdir(join(ucode, 'amd-ucode'), { recursive: true });
  await writeFile(join(ucode, 'intel-ucode', '06-55-04'), 'INTEL-A');
  await writeFile(join(ucode, 'intel-ucode', '06-8e-09'), 'INTEL-B');
  await writeFile(join(ucode, 'amd-ucode', 'microcode_amd_fam17h.bin'), 'AMD-17');
  await writeFile(join(ucode, 'amd-ucode', 'README'), 'ignored');
  return ucode;
}

async function makeOverlay(dir: string): Promise<string> {
  const overlay = join(dir, 'overlay');
  await mkdir(join(overlay, 'etc'), { recursive: true });
  await writeFile(join(overlay, 'preseed.cfg'), 'd-i debian-installer/locale string en_US\n');
  await writeFile(join(overlay, 'etc', 'metalboot'), 'yes\n');
  return overlay;
}

describe('compression sniffing and decompression', () => {
  for (const compression of ['none', 'gzip', 'xz', 'zstd', 'lz4', 'bzip2'] as const) {
    it(`recognizes and decompresses ${compression}`, async () => {
      const dir = await tmp();
      const file = await makeBase(dir, compression);
      expect(await sniffFile(file)).toBe(compression);
      const entries = await listCpio(decompressStream(createReadStream(file), compression));
      expect(entries.map((e) => e.name)).toEqual(['etc', 'etc/os-release', 'init']);
    });
  }

  it('knows the legacy lz4 magic and rejects unknown data by name', async () => {
    expect(sniffCompression(Buffer.from([0x02, 0x21, 0x4c, 0x18]))).toBe('lz4');
    const dir = await tmp();
    await writeFile(join(dir, 'junk'), 'PK\x03\x04 not an initrd');
    await expect(sniffFile(join(dir, 'junk'))).rejects.toThrow(/unknown compression \(first bytes 504b0304/);
  });
});

describe('early microcode', () => {
  it('concatenates Intel and AMD files into the kernel paths', async () => {
    const dir = await tmp();
    const entries = await microcodeEntries(await makeMicrocode(dir));
    const listed = await listCpio(cpioChunks(entries));
    const byName = Object.fromEntries(listed.map((e) => [e.name, e.data.toString()]));
    expect(Object.keys(byName)).toEqual(['kernel', 'kernel/x86', 'kernel/x86/microcode', AMD_PATH, INTEL_PATH]);
    expect(byName[INTEL_PATH]).toBe('INTEL-AINTEL-B');
    expect(byName[AMD_PATH]).toBe('AMD-17');
  });

  it('fails clearly on a directory without microcode', async () => {
    const dir = await tmp();
    await expect(microcodeEntries(dir)).rejects.toThrow(/holds no Intel .* or AMD/);
  });
});

describe('composing microcode + main + overlay', () => {
  it('gives an image that unmkinitramfs splits into early and main parts', async () => {
    const dir = await tmp();
    const early = await microcodeEntries(await makeMicrocode(dir));
    const plan = await planCompose({ base: await makeBase(dir, 'gzip'), early, overlay: await entriesFromDir(await makeOverlay(dir)) });
    expect(plan.compression).toBe('gzip');
    const image = join(dir, 'initrd.img');
    await writeFile(image, await writePlan(dir, plan));
    const out = join(dir, 'out');
    await execa('unmkinitramfs', [image, out]);
    expect(await readFile(join(out, 'early', INTEL_PATH), 'utf8')).toBe('INTEL-AINTEL-B');
    expect(await readFile(join(out, 'main', 'etc', 'os-release'), 'utf8')).toBe('ID=test\n');
    // unmkinitramfs stops at the main archive's trailer; the kernel goes on to the overlay member.
    const rest = gunzipSync((await readFile(image)).subarray((await collect(cpioChunks(early))).length));
    const names: string[] = [];
    for await (const entry of readCpioArchives((async function* () { yield rest; })())) names.push(entry.name);
    expect(names).toEqual(['etc', 'etc/os-release', 'init', 'etc', 'etc/metalboot', 'preseed.cfg']);
    const { stdout } = await execa('lsinitramfs', [image]);
    expect(stdout).toContain(AMD_PATH);
    expect(stdout).toContain('init');
  });

  it('writes an uncompressed image for arm64 that reads back as one run of archives', async () => {
    const dir = await tmp();
    const plan = await planCompose({ base: await makeBase(dir, 'zstd'), overlay: await entriesFromDir(await makeOverlay(dir)), uncompressed: true });
    expect(plan.compression).toBe('none');
    const bytes = await writePlan(dir, plan);
    expect(sniffCompression(bytes)).toBe('none');
    const names: string[] = [];
    for await (const entry of readCpioArchives((async function* () { yield bytes; })())) names.push(entry.name);
    expect(names).toEqual(['etc', 'etc/os-release', 'init', 'etc', 'etc/metalboot', 'preseed.cfg']);
  });

  it('is reproducible: the same inputs give the same bytes', async () => {
    const dir = await tmp();
    const input = async () => ({ base: join(dir, 'main.cpio.gz'), early: await microcodeEntries(join(dir, 'ucode')), overlay: await entriesFromDir(join(dir, 'overlay')) });
    await makeBase(dir, 'gzip');
    await makeMicrocode(dir);
    await makeOverlay(dir);
    const a = await writePlan(dir, await planCompose(await input()));
    const b = await writePlan(dir, await planCompose(await input()));
    expect(a.equals(b)).toBe(true);
  });
});
