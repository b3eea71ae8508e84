import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { writeSegmentsToTmp } from '../../src/image/segment-writer.js';
import type { ComposePlan } from '../../src/initrd/compose.js';

/** A fresh temp directory per call, removed after each test. */
export function useTmp(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metalboot-initrd-'));
    dirs.push(dir);
    return dir;
  };
}

export async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

export async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  // Odd-sized pieces exercise the reader's re-chunking.
  for (let i = 0; i < buffer.length; i += 37) yield buffer.subarray(i, i + 37);
}

/** Writes `plan` the way production does (writeSegmentsToTmp into `dir`'s store tmp/) and returns the bytes. */
export async function writePlan(dir: string, plan: ComposePlan): Promise<Buffer> {
  const { tmp } = await writeSegmentsToTmp(dir, 'initrd', plan.segments);
  try {
    return await readFile(tmp);
  } finally {
    await rm(tmp, { force: true });
  }
}
