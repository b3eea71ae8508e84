/**
 * Finding 11: a FIFO planted in assets/ blocked every libuv thread in open() (no writer ever comes),
 * so every later file read hung. Now the blob is opened with O_NONBLOCK and refused as not a regular
 * file: each request is a 404 and the server keeps serving real assets.
 */
import { constants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';

const FIFO_SHA = 'f'.repeat(64);
let f: Fixture;
let fifo: string;
beforeAll(async () => {
  f = await startFixture({ cacheMb: 0 });
  fifo = join(f.stateDir, 'assets', FIFO_SHA);
  await execa('mkfifo', [fifo]);
});
afterAll(async () => {
  // On a server that did block, a writer end releases its threads so the test process can finish.
  const writer = await open(fifo, constants.O_RDWR | constants.O_NONBLOCK).catch(() => undefined);
  await writer?.close();
  await rm(fifo, { force: true });
  await f.close();
});

describe('a FIFO in assets/ (finding 11)', () => {
  it('is answered 404 however many times it is asked, and real assets still stream', async () => {
    // More requests than libuv has threads (4 by default): on a blocking open() they would all hang.
    const answers = await Promise.all(Array.from({ length: 8 }, () =>
      fetch(`${f.url}/assets/${FIFO_SHA}/initrd`, { signal: AbortSignal.timeout(10_000) }).then((res) => res.status, (error: Error) => error.name)));
    expect(answers).toEqual(Array(8).fill(404));
    const res = await fetch(`${f.url}/assets/${f.kernel.sha256}/linux`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(f.kernelData)).toBe(true);
  });
});
