/**
 * Issue 11, finding 2: /api/events and /api/devices/<d>/events listed every device, client address
 * and message to anyone. Now they need `Authorization: Bearer` METALBOOT_TOKEN (read+write) or
 * METALBOOT_READ_TOKEN (read only), and events are pruned by count and age. Fails on main: both
 * answer 200 without a header, and the store has no retention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/events/store.js';
import { READ_TOKEN, startFixture, UPLOAD_TOKEN } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';
import { requestFrom } from './helpers.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
  await requestFrom(`${f.url}/ipxe/web-1`); // an event with a client address worth hiding
});
afterAll(() => f.close());

describe('the operator API', () => {
  it('refuses the events API without a bearer token, or with a wrong one (401, says what to send)', async () => {
    for (const path of ['/api/events?since=0', '/api/devices/web-1/events']) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${READ_TOKEN}` }] as Record<string, string>[]) {
        const answer = await requestFrom(f.url + path, { headers });
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(answer.body).toMatch(/METALBOOT_TOKEN or METALBOOT_READ_TOKEN/);
        expect(answer.body).not.toContain('web-1');
      }
    }
  });

  it('lets both tokens read, and only METALBOOT_TOKEN write', async () => {
    for (const token of [READ_TOKEN, UPLOAD_TOKEN]) {
      const answer = await requestFrom(`${f.url}/api/devices/web-1/events`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toContainEqual(expect.objectContaining({ device: 'web-1', kind: 'script' }));
    }
    const put = await requestFrom(`${f.url}/api/images/deb`, { method: 'PUT', body: '{}', headers: { authorization: `Bearer ${READ_TOKEN}` } });
    expect(put.status).toBe(401);
    expect(put.body).toContain('METALBOOT_READ_TOKEN, which may only read');
  });

  it('closes the events API when the server has no token at all', async () => {
    const { startServer } = await import('../../src/server/start.js');
    const pino = (await import('pino')).default;
    const server = await startServer({ config: f.config, secret: 's', logger: pino({ level: 'silent' }), listen: { host: '127.0.0.1', port: 0 }, bootsFile: ':memory:', eventsFile: ':memory:' });
    try {
      const answer = await requestFrom(`${server.url}/api/devices/web-1/events`);
      expect(answer.status).toBe(401);
      expect(answer.body).toContain('the events API is disabled');
    } finally {
      await server.close(200);
    }
  });
});

describe('events retention', () => {
  it('keeps at most maxEvents and nothing older than maxAgeMs', () => {
    let now = Date.parse('2026-01-31T00:00:00Z');
    const store = new EventStore(':memory:', { retention: { maxEvents: 5, maxAgeMs: 86_400_000 }, now: () => now, pruneEveryMs: 0 });
    store.recordNow({ device: 'old', kind: 'script', time: '2026-01-01T00:00:00.000Z' });
    for (let i = 0; i < 8; i++) store.recordNow({ device: `d${i}`, kind: 'script' });
    expect(store.prune()).toBe(4);
    expect(store.list().map((e) => e.device)).toEqual(['d3', 'd4', 'd5', 'd6', 'd7']);
    now += 2 * 86_400_000;
    store.prune();
    expect(store.list()).toEqual([]);
    store.close();
  });
});
