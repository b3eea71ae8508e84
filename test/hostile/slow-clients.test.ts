/**
 * Finding 9: `requestTimeout: 0` also turned off headersTimeout, so a half-sent header was held for
 * ever (1,100 of them starved every request); stalled uploads never timed out; one address could
 * open any number of connections. The limits are options of startServer (defaults in
 * connection-limits.ts: headers 30 s, whole request 1 h, keep-alive 65 s, 256 per address); the test
 * sets short ones and watches the server close the sockets.
 */
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer } from '../../src/server/start.js';
import type { RunningServer } from '../../src/server/start.js';
import { DEFAULT_LIMITS } from '../../src/server/connection-limits.js';
import { startFixture, UPLOAD_TOKEN } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';

let f: Fixture;
let server: RunningServer;
beforeAll(async () => {
  f = await startFixture();
  server = await startServer({
    config: f.config, secret: 's', uploadToken: UPLOAD_TOKEN, logger: pino({ level: 'silent' }), listen: { host: '127.0.0.1', port: 0 },
    limits: { headersMs: 300, requestMs: 1500, keepAliveMs: 300, perAddress: 4 },
  });
});
afterAll(async () => {
  await server.close(100);
  await f.close();
});

interface Watched {
  readonly socket: Socket;
  /** Resolves with what the server sent once it closed the connection, or 'open' after `ms`. */
  closed(ms: number): Promise<string>;
}

function open(text?: string, port = server.port!): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let ended = false;
    const waiters: Array<() => void> = [];
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      ended = true;
      waiters.splice(0).forEach((wake) => wake());
    });
    socket.once('connect', () => {
      if (text) socket.write(text);
      resolve({
        socket,
        closed: (ms) => new Promise((done) => {
          if (ended) return done(received || 'closed');
          const timer = setTimeout(() => done('open'), ms);
          waiters.push(() => (clearTimeout(timer), done(received || 'closed')));
        }),
      });
    });
    socket.once('error', reject);
  });
}

describe('slow and greedy clients (finding 9)', () => {
  it('the defaults bound headers to 30 s or less', () => {
    expect(DEFAULT_LIMITS.headersMs).toBeGreaterThan(0);
    expect(DEFAULT_LIMITS.headersMs).toBeLessThanOrEqual(30_000);
    expect(DEFAULT_LIMITS.requestMs).toBeGreaterThan(0);
  });

  it('closes a connection whose headers never finish (408)', async () => {
    const half = await open('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(await half.closed(10_000)).toMatch(/^HTTP\/1\.1 408|^closed$/);
  });

  it('closes an upload that stalls half-way, and stores nothing', async () => {
    const upload = await open(`PUT /api/assets/${'b'.repeat(64)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${UPLOAD_TOKEN}\r\nContent-Length: 1000000\r\n\r\n${'x'.repeat(1000)}`);
    expect(await upload.closed(10_000)).not.toBe('open');
    await new Promise((r) => setTimeout(r, 100));
    expect((await readdir(join(f.stateDir, 'tmp')).catch(() => [])).filter((name) => name.startsWith('upload-'))).toEqual([]);
  });

  it('closes an idle keep-alive connection', async () => {
    const idle = await open('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await idle.closed(10_000)).toMatch(/^HTTP\/1\.1 200/);
  });

  it('accepts at most 4 connections from one address at once, and serves again once they close', async () => {
    const capped = await startServer({
      config: f.config, secret: 's', logger: pino({ level: 'silent' }), listen: { host: '127.0.0.1', port: 0 }, limits: { perAddress: 4 },
    });
    try {
      const sockets = await Promise.all(Array.from({ length: 6 }, () => open(undefined, capped.port!)));
      const states = await Promise.all(sockets.map((s) => s.closed(1000)));
      expect(states.filter((state) => state === 'open')).toHaveLength(4);
      for (const s of sockets) s.socket.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`${capped.url}/healthz`)).status).toBe(200);
    } finally {
      await capped.close(100);
    }
  });
});
