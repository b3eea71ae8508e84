/**
 * What the mirror needs to know about an installer initrd: its kernel ABI (lib/modules/<abi>/, so
 * the module udebs match the kernel that boots) and the udebs it already holds (its dpkg status,
 * which anna never fetches again). Reads the initrd as metalboot built it: zero or more
 * uncompressed cpio archives (early microcode) followed by the compressed main archive and overlays.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { BuildError } from '../errors.js';
import { decompressStream, sniffCompression } from '../initrd/compression.js';
import { readCpioArchives } from '../initrd/cpio-reader.js';
import type { PackageEntry } from './packages.js';
import { parseStatus } from './packages.js';

export interface InitrdFacts {
  readonly abi: string;
  readonly installed: readonly PackageEntry[];
}

const MODULES_DIR = /^(?:\.\/)?(?:usr\/)?lib\/modules\/([^/]+)\//;
const STATUS_FILE = /^(?:\.\/)?var\/lib\/dpkg\/status$/;

/** Byte offset where the compressed part starts (after leading uncompressed cpio archives and padding). */
async function compressedStart(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let offset = 0;
    const header = Buffer.alloc(110);
    while (offset < size) {
      const { bytesRead } = await handle.read(header, 0, 110, offset);
      if (bytesRead > 0 && header.subarray(0, bytesRead).every((byte) => byte === 0)) {
        offset += bytesRead;
        continue;
      }
      if (header.subarray(0, 6).toString('latin1') !== '070701') return offset;
      const field = (i: number): number => Number.parseInt(header.subarray(6 + i * 8, 14 + i * 8).toString('latin1'), 16);
      const nameSize = field(11);
      const name = Buffer.alloc(nameSize);
      await handle.read(name, 0, nameSize, offset + 110);
      const pad = (n: number): number => (4 - (n % 4)) % 4;
      offset += 110 + nameSize + pad(110 + nameSize) + field(6) + pad(field(6));
    }
    return offset;
  } finally {
    await handle.close();
  }
}

/** The initrd's archives as one stream: the compressed tail when there is one, else the whole uncompressed file (arm64). */
async function archiveStream(path: string): Promise<AsyncIterable<Buffer>> {
  const start = await compressedStart(path);
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  const head = Buffer.alloc(16);
  const { bytesRead } = await handle.read(head, 0, 16, Math.min(start, size)).finally(() => handle.close());
  if (start >= size) return createReadStream(path, { highWaterMark: 1 << 20 });
  const compression = sniffCompression(head.subarray(0, bytesRead));
  if (!compression) throw new BuildError(`${path}: cannot read the installer initrd (unknown data at byte ${start})`, { hint: 'rebuild the image: metalboot build <image>' });
  return decompressStream(createReadStream(path, { start, highWaterMark: 1 << 20 }), compression) as AsyncIterable<Buffer>;
}

export async function readInitrdFacts(path: string): Promise<InitrdFacts> {
  const abis = new Set<string>();
  let status: string | undefined;
  for await (const entry of readCpioArchives(await archiveStream(path))) {
    const abi = MODULES_DIR.exec(entry.name)?.[1];
    if (abi) abis.add(abi);
    if (STATUS_FILE.test(entry.name) && entry.type === 'file') status = entry.data.toString('utf8');
  }
  if (abis.size !== 1) {
    throw new BuildError(`${path}: expected the modules of one kernel in the installer initrd, found ${abis.size === 0 ? 'none' : [...abis].sort().join(', ')}`, {
      hint: 'metalboot mirror needs a Debian netboot installer initrd (lib/modules/<abi>/)',
    });
  }
  if (status === undefined) throw new BuildError(`${path}: the installer initrd has no var/lib/dpkg/status`, { hint: 'metalboot mirror needs a Debian netboot installer initrd' });
  return { abi: [...abis][0]!, installed: parseStatus(status) };
}
