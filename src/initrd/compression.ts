/** Compression sniffing by magic bytes, and streaming decompression (zlib in-process, else execa). */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { execa } from 'execa';
import { BuildError } from '../errors.js';

/** Initrd compressions, listed once (the type and the manifest schema's enum); 'none' is a plain cpio. */
export const COMPRESSIONS = ['gzip', 'xz', 'zstd', 'lz4', 'bzip2', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

const MAGIC: ReadonlyArray<readonly [Compression, readonly number[]]> = [
  ['gzip', [0x1f, 0x8b]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['lz4', [0x04, 0x22, 0x4d, 0x18]], // frame format
  ['lz4', [0x02, 0x21, 0x4c, 0x18]], // legacy format (what the kernel's lz4 initrds use)
  ['bzip2', [0x42, 0x5a, 0x68]],
];

/** What the first bytes of an initrd are: a compression, plain cpio ('none'), or undefined if unknown. */
export function sniffCompression(head: Buffer): Compression | undefined {
  for (const [name, magic] of MAGIC) {
    if (head.length >= magic.length && magic.every((byte, i) => head[i] === byte)) return name;
  }
  const text = head.subarray(0, 6).toString('latin1');
  if (text === '070701' || text === '070702') return 'none';
  return undefined;
}

export async function sniffFile(path: string): Promise<Compression> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    const found = sniffCompression(head.subarray(0, bytesRead));
    if (!found) {
      throw new BuildError(`${path} is not an initrd metalboot can read: unknown compression (first bytes ${head.subarray(0, Math.min(bytesRead, 6)).toString('hex')})`, {
        hint: 'supported: gzip, xz, zstd, lz4, bzip2 or an uncompressed newc cpio',
      });
    }
    return found;
  } finally {
    await handle.close();
  }
}

const TOOLS: Readonly<Record<Exclude<Compression, 'gzip' | 'none'>, { cmd: string; pkg: string }>> = {
  xz: { cmd: 'xz', pkg: 'xz-utils' },
  zstd: { cmd: 'zstd', pkg: 'zstd' },
  lz4: { cmd: 'lz4', pkg: 'lz4' },
  bzip2: { cmd: 'bzip2', pkg: 'bzip2' },
};

/** Decompresses a stream. gzip runs in-process (multi-member aware); the rest stream through `<tool> -dc`. */
export function decompressStream(source: Readable, compression: Compression): Readable {
  if (compression === 'none') return source;
  if (compression === 'gzip') {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    source.on('error', (error) => gunzip.destroy(error));
    return source.pipe(gunzip);
  }
  const tool = TOOLS[compression];
  const child = execa(tool.cmd, ['-dc'], { input: source, stdout: 'pipe', encoding: 'buffer', buffer: { stdout: false, stderr: true }, stripFinalNewline: false });
  // The output ends only once the tool has exited well: a tool that is missing or fails (truncated
  // or corrupt input) is an error of the stream, never a short but clean end.
  async function* output(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
      await child;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOENT') {
        throw new BuildError(`${tool.cmd} is not installed: it is needed to decompress a ${compression} initrd`, { hint: `install it: apt-get install ${tool.pkg}`, cause: error });
      }
      const said = Buffer.from((error as { stderr?: Uint8Array }).stderr ?? []).toString('utf8').trim().split('\n').pop();
      throw new BuildError(`${tool.cmd} -dc failed: ${said || ((error as { shortMessage?: string }).shortMessage ?? String(error))}`, { cause: error });
    } finally {
      child.kill();
      child.catch(() => undefined);
    }
  }
  return Readable.from(output(), { objectMode: false });
}
