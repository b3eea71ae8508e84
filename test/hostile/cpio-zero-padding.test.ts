/**
 * Finding 13: readCpioArchives copied its whole buffer once per zero byte of padding (quadratic:
 * 1 MiB of padding did not finish in 45 s). Checked structurally, not by time: the bytes the reader
 * copies (Buffer.concat) stay within a small multiple of the input, whatever the padding. (Sizes
 * are kept small enough that the old code fails in well under a second instead of hanging.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cpioChunks } from '../../src/initrd/cpio.js';
import { readCpioArchives } from '../../src/initrd/cpio-reader.js';
import { collect } from '../initrd/helpers.js';

async function archive(name: string): Promise<Buffer> {
  return collect(cpioChunks([{ type: 'file', name, data: Buffer.from(`${name}\n`) }]));
}

async function* pieces(buffer: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

/** Names read and bytes copied by Buffer.concat while reading `input` in pieces of `size`. */
async function readCounting(input: Buffer, size: number): Promise<{ names: string[]; copied: number }> {
  const concat = Buffer.concat.bind(Buffer);
  let copied = 0;
  vi.spyOn(Buffer, 'concat').mockImplementation((list: readonly Uint8Array[], total?: number) => {
    const out = concat(list, total);
    copied += out.length;
    return out;
  });
  const names: string[] = [];
  for await (const entry of readCpioArchives(pieces(input, size))) names.push(entry.name);
  vi.restoreAllMocks();
  return { names, copied };
}

describe('zero padding between cpio archives (finding 13)', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['32 KiB in one chunk', 32 * 1024, 1 << 30],
    ['256 KiB in 4 KiB chunks', 256 * 1024, 4096],
  ])('skips %s of padding copying at most twice the input', async (_label, padding, chunk) => {
    const input = Buffer.concat([await archive('one'), Buffer.alloc(padding), await archive('two')]);
    const { names, copied } = await readCounting(input, chunk);
    expect(names).toEqual(['one', 'two']);
    expect(copied).toBeLessThanOrEqual(2 * input.length);
  });
});
