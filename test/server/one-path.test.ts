/**
 * Production and tests serve through one request path: the node servers startServer listens with
 * call exactly the handler createApp built from the route table (the handler test/reimage mounts
 * too), and a request for every route in the table is answered through that listener — the
 * server's own request log names the route that answered each one.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/server/route-table.js';
import { READ_AUTH, seeded, startFixture, UPLOAD_TOKEN } from './fixture.js';
import type { Fixture } from './fixture.js';

let f: Fixture;
const lines: string[] = [];
beforeAll(async () => {
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
  f = await startFixture({ logger: pino(sink) });
});
afterAll(() => f.close());

interface Sample {
  readonly path: string;
  readonly init?: RequestInit;
  /** Status the route answers this sample with. */
  readonly status: number;
}

/** One request per (method, route) of the table; the test fails when the table has a route without one. */
function samples(): Record<string, Sample> {
  const blob = seeded(1000, 21);
  const sha = createHash('sha256').update(blob).digest('hex');
  const auth = { authorization: `Bearer ${UPLOAD_TOKEN}` };
  const asset = `/assets/${f.kernel.sha256}/linux`;
  const preseed = `/preseed/web-1.cfg?token=${f.token('web-1')}`;
  const kickstart = `/kickstart/web-1.ks?token=${f.token('web-1')}`;
  const deviceData = `/device-data/web-1.cpio?token=${f.token('web-1')}`;
  return {
    'GET /assets/*': { path: asset, status: 200 },
    'HEAD /assets/*': { path: asset, status: 200 },
    // no image of the fixture has a mirror: the route answers (its log line names it) with 404
    'GET /mirror/*': { path: '/mirror/deb/dists/bookworm/InRelease', status: 404 },
    'HEAD /mirror/*': { path: '/mirror/deb/dists/bookworm/InRelease', status: 404 },
    'GET /os-files/*': { path: '/os-files/usr/lib/metalboot/report-booted', status: 200 },
    'HEAD /os-files/*': { path: '/os-files/usr/lib/metalboot/report-booted', status: 200 },
    'GET /boot.ipxe': { path: '/boot.ipxe', status: 200 },
    'HEAD /boot.ipxe': { path: '/boot.ipxe', status: 200 },
    'GET /ipxe/:key': { path: '/ipxe/web-1', status: 200 },
    'HEAD /ipxe/:key': { path: '/ipxe/web-1', status: 200 },
    'GET /preseed/:file': { path: preseed, status: 200 },
    'HEAD /preseed/:file': { path: preseed, status: 200 },
    'GET /kickstart/:file': { path: kickstart, status: 200 },
    'HEAD /kickstart/:file': { path: kickstart, status: 200 },
    'GET /device-data/:file': { path: deviceData, status: 200 },
    'HEAD /device-data/:file': { path: deviceData, status: 200 },
    'POST /events/:device': { path: `/events/web-1?token=${f.token('web-1')}`, init: { body: '{"state":"running"}' }, status: 201 },
    'GET /api/devices/:device/events': { path: '/api/devices/web-1/events', init: { headers: READ_AUTH }, status: 200 },
    'HEAD /api/devices/:device/events': { path: '/api/devices/web-1/events', init: { headers: READ_AUTH }, status: 200 },
    'GET /api/events': { path: '/api/events', init: { headers: READ_AUTH }, status: 200 },
    'PUT /api/assets/:sha256': { path: `/api/assets/${sha}`, init: { body: new Uint8Array(blob), headers: auth }, status: 201 },
    'PUT /api/images/:name': { path: '/api/images/deb', init: { body: '{"schema": 1}', headers: auth }, status: 422 },
    'GET /healthz': { path: '/healthz', status: 200 },
    'HEAD /healthz': { path: '/healthz', status: 200 },
  };
}

/** The server's request-log line for the request with this X-Request-Id (written when the response closes). */
async function logLine(id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request' && l.id === id);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no request log line for ${id}`);
}

describe('one request path', () => {
  it('listens with exactly the handler createApp built, and nothing else', () => {
    expect(f.server.httpServers).toHaveLength(1);
    for (const server of f.server.httpServers) expect(server.listeners('request')).toEqual([f.server.app.handler]);
    expect(f.server.app.routes).toBe(ROUTES);
  });

  it('answers a request for every route in the table through that listener', async () => {
    const table = ROUTES.flatMap((route) => route.methods.map((method) => `${method} ${route.path}`)).sort();
    const requests = samples();
    expect(Object.keys(requests).sort()).toEqual(table);
    const answered: string[] = [];
    for (const [key, sample] of Object.entries(requests)) {
      const method = key.split(' ')[0]!;
      const controller = new AbortController();
      const res = await fetch(f.url + sample.path, { ...sample.init, method, signal: controller.signal });
      expect(res.status, key).toBe(sample.status);
      if (res.headers.get('content-type')?.startsWith('text/event-stream')) controller.abort();
      else await res.arrayBuffer();
      const line = await logLine(res.headers.get('x-request-id') ?? '');
      answered.push(`${String(line.method)} ${String(line.route)}`);
    }
    expect(answered.sort()).toEqual(table);
  });

  it('logs no route for what the table does not answer', async () => {
    const res = await fetch(`${f.url}/nothing-here`);
    expect(res.status).toBe(404);
    const line = await logLine(res.headers.get('x-request-id') ?? '');
    expect(line).toMatchObject({ status: 404, url: '/nothing-here' });
    expect(line.route).toBeUndefined();
  });
});
