import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { cpioChunks, withParents } from '../../src/initrd/cpio.js';
import type { CpioEntry } from '../../src/initrd/cpio.js';
import { readInitrdFacts } from '../../src/mirror/initrd-facts.js';

const file = (name: string, data = ''): CpioEntry => ({ type: 'file', name, mode: 0o644, data: Buffer.from(data) });
const STATUS = file('var/lib/dpkg/status', 'Package: anna\nStatus: install ok unpacked\n\nPackage: di-utils\nStatus: install ok unpacked\n');
const MAIN = [file('lib/modules/6.1.0-50-amd64/kernel/net/virtio_net.ko', 'ko'), STATUS];

async function cpio(entries: CpioEntry[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of cpioChunks(withParents(entries))) parts.push(chunk);
  return Buffer.concat(parts);
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function facts(data: Buffer): Promise<Awaited<ReturnType<typeof readInitrdFacts>>> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-initrd-facts-'));
  dirs.push(dir);
  await writeFile(join(dir, 'initrd'), data);
  return readInitrdFacts(join(dir, 'initrd'));
}

describe('reading an installer initrd for the mirror', () => {
  it('finds the kernel ABI and the udebs of a gzip initrd as Debian ships it', async () => {
    const found = await facts(gzipSync(await cpio(MAIN)));
    expect(found.abi).toBe('6.1.0-50-amd64');
    expect(found.installed.map((entry) => entry.name)).toEqual(['anna', 'di-utils']);
  });

  it('reads past an uncompressed early microcode archive and through a gzip overlay, as metalboot build composes them', async () => {
    const early = await cpio([file('kernel/x86/microcode/GenuineIntel.bin', 'ucode')]);
    const composed = Buffer.concat([early, gzipSync(await cpio(MAIN)), gzipSync(await cpio([file('preseed.cfg', 'd-i x y z\n')]))]);
    expect((await facts(composed)).abi).toBe('6.1.0-50-amd64');
  });

  it('reads an uncompressed initrd (arm64)', async () => {
    const found = await facts(await cpio([file('lib/modules/6.1.0-50-arm64/kernel/x.ko'), STATUS]));
    expect(found.abi).toBe('6.1.0-50-arm64');
  });

  it('refuses an initrd without exactly one kernel\'s modules', async () => {
    await expect(facts(gzipSync(await cpio([STATUS])))).rejects.toThrow(/expected the modules of one kernel .* found none/);
    await expect(facts(gzipSync(await cpio([...MAIN, file('lib/modules/6.1.0-47-amd64/x.ko')])))).rejects.toThrow(/found 6\.1\.0-47-amd64, 6\.1\.0-50-amd64/);
  });
});
