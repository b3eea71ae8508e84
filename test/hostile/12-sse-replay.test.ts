/**
 * Issue 11, finding 12: an SSE replay wrote the whole history in one go (500 × 2,240 events blocked
 * /healthz for 8.9 s), and live clients were not capped. Replays now share one scheduler (at most
 * 500 events per event-loop turn over all streams, src/server/replay.ts), and each bearer token may
 * hold a bounded number of live streams (429 past it).
 * Fails on main: every replay is written before /healthz is even parsed, and the 4th stream is 200.
 * (Latency figures: bench/sse-replay.ts.)
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_AUTH, READ_TOKEN, startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';
import { fetchEvents } from '../../src/events/client.js';
import { requestFrom } from './helpers.js';

const HISTORY = 2_240;
const STREAMS = 3;
let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ maxStreamsPerToken: STREAMS });
  for (let i = 0; i < HISTORY; i++) f.server.context.events.record({ device: 'web-1', kind: 'script', path: `/ipxe/web-1#${i}` });
  f.server.context.events.flush();
});
afterAll(() => f.close());

/** Opens a replay from the start; resolves with the ids received once `count` arrived. */
function replay(count: number, onOpen: () => void): { ids: Promise<number[]>; close: () => void } {
  const ids: number[] = [];
  let req!: ReturnType<typeof request>;
  const done = new Promise<number[]>((resolve, reject) => {
    req = request(`${f.url}/api/events?since=0`, { headers: READ_AUTH, agent: false }, (res) => {
      onOpen();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (const match of buffer.matchAll(/^id: (\d+)$/gm)) ids.push(Number(match[1]));
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        if (ids.length >= count) resolve(ids);
      });
    });
    req.on('error', reject);
    req.end();
  });
  return { ids: done, close: () => req.destroy() };
}

describe('the event stream', () => {
  it('replays in pages: /healthz is answered before the replays are written, and every event arrives once, in order', async () => {
    const context = f.server.context;
    const list = context.events.list.bind(context.events);
    let written = 0;
    let writtenBeforeHealthz: number | undefined;
    context.events.list = (query) => {
      const page = list(query);
      written += page.length;
      return page;
    };
    const server = f.server.httpServers[0]!;
    const onRequest = (req: { url?: string }): void => {
      if (req.url === '/healthz') writtenBeforeHealthz = written;
    };
    server.on('request', onRequest);
    let opened = 0;
    const streams = Array.from({ length: STREAMS }, () => replay(HISTORY + 1, () => opened++));
    await expect.poll(() => opened).toBe(STREAMS);
    expect((await requestFrom(`${f.url}/healthz`)).status).toBe(200);
    // a live event during the replay comes after the history, once
    const live = context.events.recordNow({ device: 'web-1', kind: 'script', path: '/ipxe/web-1#live' });
    const all = await Promise.all(streams.map((s) => s.ids));
    for (const s of streams) s.close();
    server.off('request', onRequest);
    context.events.list = list;
    expect(writtenBeforeHealthz).toBeDefined();
    expect(writtenBeforeHealthz!).toBeLessThan(STREAMS * HISTORY);
    for (const ids of all) {
      expect(ids).toHaveLength(HISTORY + 1);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(ids.at(-1)).toBe(live.id);
    }
  });

  it('caps live streams per token with a 429 that says why; a closed stream frees its place', async () => {
    const open = Array.from({ length: STREAMS }, () => replay(1, () => undefined));
    await Promise.all(open.map((s) => s.ids));
    const refused = await requestFrom(`${f.url}/api/events`, { headers: READ_AUTH });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error).toMatch(/too many open event streams for this token/);
    // plain reads are not streams: still answered
    expect((await fetchEvents(f.url, 'web-2', { token: READ_TOKEN }))).toEqual([]);
    open[0]!.close();
    await expect.poll(async () => {
      const again = replay(1, () => undefined);
      const status = await Promise.race([again.ids.then(() => 200), new Promise<number>((resolve) => setTimeout(() => resolve(0), 500))]);
      again.close();
      return status;
    }, { timeout: 5000 }).toBe(200);
    for (const s of open) s.close();
  });
});
