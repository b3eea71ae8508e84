/** The error answers of the upload and events API, in one golden file: each must say what to fix. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seeded, startFixture, UPLOAD_TOKEN } from './fixture.js';
import type { Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ maxUploadBytes: 1000 });
});
afterAll(() => f.close());

it('answers API mistakes with JSON bodies that say why', async () => {
  const raw = seeded(500, 3);
  const body = new Uint8Array(raw);
  const hash = createHash('sha256').update(raw).digest('hex');
  const other = createHash('sha256').update('other').digest('hex');
  const auth = { authorization: `Bearer ${UPLOAD_TOKEN}` };
  const cases: [string, string, RequestInit][] = [
    ['PUT', `/api/assets/${hash}`, { body }],
    ['PUT', `/api/assets/${hash}`, { body, headers: { authorization: 'Bearer wrong' } }],
    ['PUT', `/api/assets/${hash}`, { body, headers: { authorization: `Basic ${UPLOAD_TOKEN}` } }],
    ['PUT', '/api/assets/not-a-hash', { body, headers: auth }],
    ['PUT', `/api/assets/${other}`, { body, headers: auth }],
    ['PUT', `/api/assets/${hash}`, { body: new Uint8Array(seeded(1001, 4)), headers: auth }],
    ['PUT', '/api/images/deb', { body: 'not json', headers: auth }],
    ['PUT', '/api/images/deb', { body: '{"schema":1,"name":"deb","type":"files","installer":false,"variants":{"x86_64":{}}}', headers: auth }],
    ['PUT', '/api/images/deb', { body: 'x'.repeat(1_100_000), headers: auth }],
    ['POST', `/events/web-1?token=${f.token('web-1')}`, { body: '{"state":"done"}' }],
    ['POST', `/events/web-1?token=${f.token('web-2')}`, { body: '{"state":"running"}' }],
    ['POST', `/events/web-1?token=${f.token('web-1')}`, { body: `{"state":"running","message":"${'x'.repeat(16 * 1024)}"}` }],
    ['PUT', '/api/images/deb', { body: '{}', headers: { ...auth, 'content-encoding': 'gzip' } }],
    ['DELETE', '/api/images/deb', {}],
  ];
  const lines: string[] = [];
  for (const [method, path, init] of cases) {
    const res = await fetch(f.url + path, { ...init, method });
    const shown = path.replace(/token=[0-9a-f]+/, 'token=…');
    lines.push(`${method} ${shown}\n  → ${res.status} ${res.headers.get('content-type')?.split(';')[0]} ${await res.text()}`);
  }
  await expect(lines.join('\n') + '\n').toMatchFileSnapshot('../golden/server/api-errors.txt');
});
