import { get as httpGet } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchEvents, followEvents } from '../../src/events/client.js';
import type { BootEvent } from '../../src/events/types.js';
import { startServer } from '../../src/server/start.js';
import { READ_TOKEN, SECRET, startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

/** GET on a fresh connection (the test's pooled fetch sockets may be ones the old server closed). */
function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('events client', () => {
  it('says which server it could not reach', async () => {
    await expect(fetchEvents('http://127.0.0.1:1', 'web-1')).rejects.toThrow(/cannot reach the metalboot server at http:\/\/127.0.0.1:1/);
  });

  it('reconnects after the server restarts and resumes after the last event seen, without repeats', async () => {
    const seen: BootEvent[] = [];
    const controller = new AbortController();
    const port = f.server.port!;
    const done = followEvents(f.url, { device: 'web-1', signal: controller.signal, retryMs: 100, token: READ_TOKEN }, (e) => seen.push(e));
    await new Promise((r) => setTimeout(r, 150));
    expect(await get(`${f.url}/ipxe/web-1`)).toBe(200);
    await expect.poll(() => seen.length).toBe(1);

    // restart on the same port and state dir; events recorded while the follower is away are replayed
    await f.server.close(500);
    const again = await startServer({ config: f.config, secret: SECRET, logger: pino({ level: 'silent' }), listen: { host: '127.0.0.1', port }, readToken: READ_TOKEN, bootsFile: ':memory:' });
    for (const device of ['web-1', 'web-2']) again.context.boots.arm(device);
    try {
      expect(await get(`${f.url}/ipxe/web-1`)).toBe(200);
      expect(await get(`${f.url}/ipxe/web-2`)).toBe(200);
      expect(await get(`${f.url}/ipxe/b4-96-91-aa-bb-01`)).toBe(200);
      await expect.poll(() => seen.length, { timeout: 5000 }).toBe(3);
      controller.abort();
      await done;
      expect(new Set(seen.map((e) => e.id)).size).toBe(3);
      expect(seen.every((e) => e.device === 'web-1' && e.kind === 'script')).toBe(true);
    } finally {
      await again.close(500);
    }
  });
});
