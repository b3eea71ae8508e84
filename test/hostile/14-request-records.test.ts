/**
 * Issue 11, finding 14: a client that read 1 KB of a large asset was recorded as a complete download,
 * and aborted requests were logged with `client: "unix"` (the address read after the socket closed).
 * The request log now records the body bytes the connection actually took, `aborted: true`, and
 * the address captured when the request arrived. Fails on main: bytes is the whole length, client "unix".
 */
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAssetFromFile } from '../../src/image/store.js';
import type { AssetRef } from '../../src/image/manifest.js';
import { seeded, startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';
import { capturedLogger } from './helpers.js';

const SIZE = 96 * 1024 * 1024; // well past the loopback socket buffers
let f: Fixture;
let big: AssetRef;
const log = capturedLogger();
beforeAll(async () => {
  f = await startFixture({ logger: log.logger, cacheMb: 1 });
  await writeFile(join(f.dir, 'big.img'), seeded(SIZE, 7));
  big = await addAssetFromFile(f.stateDir, join(f.dir, 'big.img'), 'big.img');
}, 60_000);
afterAll(() => f.close());

describe('a download the client abandons', () => {
  it('is logged aborted, with the bytes the connection took (not the length) and the client address', async () => {
    const { port } = new URL(f.url);
    const path = `/assets/${big.sha256}/big.img`;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
      let got = 0;
      socket.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got >= 1024) {
          socket.pause();
          setTimeout(() => (socket.destroy(), resolve()), 300);
        }
      });
      socket.on('error', reject);
    });
    await expect.poll(() => log.lines.find((line) => line.msg === 'request' && line.url === path), { timeout: 5000 }).toBeDefined();
    const line = log.lines.find((l) => l.msg === 'request' && l.url === path)!;
    expect(line.aborted).toBe(true);
    expect(line.client).toBe('127.0.0.1');
    expect(line.bytes).toBeTypeOf('number');
    expect(line.bytes as number).toBeLessThan(SIZE / 2);
  }, 30_000);

  it('is logged whole when it completes', async () => {
    const res = await fetch(`${f.url}/assets/${f.initrd.sha256}/initrd.gz`);
    expect((await res.arrayBuffer()).byteLength).toBe(f.initrdData.length);
    const url = `/assets/${f.initrd.sha256}/initrd.gz`;
    await expect.poll(() => log.lines.find((line) => line.msg === 'request' && line.url === url), { timeout: 5000 }).toBeDefined();
    const line = log.lines.find((l) => l.msg === 'request' && l.url === url)!;
    expect(line).toMatchObject({ bytes: f.initrdData.length, client: '127.0.0.1', status: 200 });
    expect(line.aborted).toBeUndefined();
  });
});
