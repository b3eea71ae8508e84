/**
 * Finding 10: memory was not bounded by cache_mb: a slow reader of a streamed blob held ~2.2 MB, and a
 * slow reader of a cached blob held the whole buffer (res.end of the blob), so evicted buffers stayed
 * alive behind slow readers. Checked structurally (the figures are bench/slow-readers.ts): a response
 * to a reader that stopped reading holds at most a chunk, for cached and streamed blobs, and no
 * chunk ever shares memory with the cache's buffer, which is freed on eviction while readers go on
 * from disk.
 */
import type { ServerResponse } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAssetFromFile, assetFile } from '../../src/image/store.js';
import type { AssetRef } from '../../src/image/manifest.js';
import { AssetCache } from '../../src/server/asset-cache.js';
import { BlobReader, CHUNK } from '../../src/server/blob-reader.js';
import { seeded, startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';

let f: Fixture;
let cachedBlob: AssetRef;
let streamedBlob: AssetRef;
const responses: ServerResponse[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  f = await startFixture({ cacheMb: 64 });
  await writeFile(join(f.dir, 'cached'), seeded(24 * 1024 * 1024, 11)); // ≤ half the cache: cached
  await writeFile(join(f.dir, 'streamed'), seeded(40 * 1024 * 1024, 12)); // > half: streamed from disk
  cachedBlob = await addAssetFromFile(f.stateDir, join(f.dir, 'cached'), 'cached');
  streamedBlob = await addAssetFromFile(f.stateDir, join(f.dir, 'streamed'), 'streamed');
  f.server.httpServers[0]!.prependListener('request', (_req, res: ServerResponse) => void responses.push(res));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await f.close();
});

/** Requests a blob on a raw socket that never reads; resolves with the server's response once it is stuck. */
async function stalledResponse(sha256: string): Promise<ServerResponse> {
  const before = responses.length;
  const socket = connect(f.server.port!, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(`GET /assets/${sha256}/x HTTP/1.1\r\nHost: t\r\n\r\n`);
  let last = -1;
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const res = responses[before];
    if (res?.headersSent && res.writableNeedDrain && res.writableLength === last) return res;
    last = res?.writableLength ?? -1;
  }
  throw new Error('the response never stalled');
}

describe('memory held for slow readers (finding 10)', () => {
  it.each([['cached', () => cachedBlob], ['streamed', () => streamedBlob]])('a %s blob: a reader that stopped reading holds at most one chunk in the server', async (_kind, blob) => {
    const res = await stalledResponse(blob().sha256);
    expect(res.writableLength).toBeLessThanOrEqual(CHUNK);
  });

  it('copies chunks out of the cached buffer, and goes on from disk once it is evicted', async () => {
    const cache = new AssetCache(64 * 1024 * 1024);
    const file = assetFile(f.stateDir, cachedBlob.sha256);
    const buffer = (await cache.load(cachedBlob.sha256, file, cachedBlob.size))!;
    expect(buffer).toBeDefined();
    const reader = new BlobReader({ cache, sha256: cachedBlob.sha256, file }, 0, cachedBlob.size - 1);
    const parts: Buffer[] = [];
    for await (const chunk of reader as AsyncIterable<Buffer>) {
      expect(chunk.buffer).not.toBe(buffer.buffer);
      expect(chunk.length).toBeLessThanOrEqual(CHUNK);
      parts.push(chunk);
      if (parts.length === 10) cache.clear(); // evicted mid-download
    }
    expect(cache.get(cachedBlob.sha256)).toBeUndefined();
    expect(Buffer.concat(parts).equals(seeded(24 * 1024 * 1024, 11))).toBe(true);
  });
});
