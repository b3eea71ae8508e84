import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetRef } from '../../src/image/manifest.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { runServe } from '../../src/server/run.js';
import { configText, seeded } from './fixture.js';

let dir: string;
let configFile: string;
let big: AssetRef;
let bigData: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-serve-'));
  const stateDir = join(dir, 'state');
  configFile = join(dir, 'metalboot.yaml');
  await writeFile(configFile, configText(stateDir, 0));
  bigData = seeded(48 * 1024 * 1024, 5);
  await writeFile(join(dir, 'initrd.gz'), bigData);
  await writeFile(join(dir, 'linux'), seeded(100_000, 6));
  big = await addAssetFromFile(stateDir, join(dir, 'initrd.gz'), 'initrd.gz');
  const kernel = await addAssetFromFile(stateDir, join(dir, 'linux'), 'linux');
  await writeManifest(stateDir, {
    schema: 1, name: 'deb', type: 'files', installer: false,
    variants: { x86_64: { arch: 'x86_64', kernel, initrd: big, compression: 'gzip', cmdline: [] } },
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Polls until a new connection is refused (the server stopped listening), for at most 15 s. */
async function refusesNewConnections(url: string): Promise<boolean> {
  for (let i = 0; i < 150; i++) {
    const code = await new Promise<string>((resolve) => {
      get(`${url}/healthz`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
      }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    if (code === 'ECONNREFUSED') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function capture(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
  return { logger: pino(sink), lines };
}

describe('metalboot serve', () => {
  it('uses the tunnel URL as the public URL in every script, and closes the tunnel on stop', async () => {
    let closed = false;
    const targets: unknown[] = [];
    const signals = new EventEmitter();
    const handle = await runServe(
      { configFile, listen: '127.0.0.1:0', tunnel: 'fake' },
      {
        tunnels: { fake: async (target) => (targets.push(target), { url: 'https://abc.tunnel.test', close: async () => void (closed = true) }) },
        logger: pino({ level: 'silent' }),
        say: () => undefined,
        signals,
        env: { METALBOOT_SECRET: 's' },
      },
    );
    expect(targets).toEqual([{ host: '127.0.0.1', port: handle.server.port }]);
    for (const device of ['web-1', 'web-2']) handle.server.context.boots.arm(device); // as reimage / metalboot arm do
    expect(await (await fetch(`${handle.server.url}/boot.ipxe`)).text()).toContain('https://abc.tunnel.test/ipxe/');
    const viaTunnel = (device: string) => ({ headers: { 'x-forwarded-for': `198.51.100.${device === 'web-1' ? 1 : 2}, 127.0.0.1` } });
    expect(await (await fetch(`${handle.server.url}/ipxe/web-1`, viaTunnel('web-1'))).text()).toContain(`https://abc.tunnel.test/assets/${big.sha256}/initrd.gz`);
    await (await fetch(`${handle.server.url}/ipxe/web-2`, viaTunnel('web-2'))).text();
    // behind the tunnel, assets are attributed by the forwarded client address, not the agent's
    await (await fetch(`${handle.server.url}/assets/${big.sha256}/initrd.gz`, viaTunnel('web-1'))).arrayBuffer();
    const events = handle.server.context.events.list({ since: 0 }).filter((e) => e.client?.startsWith('198.51.100.'));
    expect(events.map((e) => [e.device, e.kind, e.client])).toEqual([
      ['web-1', 'script', '198.51.100.1'],
      ['web-2', 'script', '198.51.100.2'],
      ['web-1', 'initrd', '198.51.100.1'],
    ]);
    signals.emit('SIGTERM');
    await handle.done;
    expect(closed).toBe(true);
  });

  it('fails clearly, naming NGROK_AUTHTOKEN, when the ngrok token is missing', async () => {
    const run = runServe({ configFile, listen: '127.0.0.1:0', tunnel: 'ngrok' }, { logger: pino({ level: 'silent' }), say: () => undefined, signals: new EventEmitter(), env: { METALBOOT_SECRET: 's' } });
    await expect(run).rejects.toThrow(/NGROK_AUTHTOKEN/);
  });

  it('reloads the config on SIGHUP without dropping a keep-alive connection', async () => {
    const signals = new EventEmitter();
    const { logger, lines } = capture();
    const handle = await runServe({ configFile, listen: '127.0.0.1:0' }, { logger, say: () => undefined, signals, env: { METALBOOT_SECRET: 's' } });
    handle.server.context.boots.arm('web-3'); // armed before it is configured: the reload makes it known
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ask = (path: string): Promise<{ status: number; reused: boolean }> =>
      new Promise((resolve, reject) => {
        const req = get(`${handle.server.url}${path}`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    expect(await ask('/ipxe/web-3')).toEqual({ status: 404, reused: false });
    await writeFile(configFile, `${configText(join(dir, 'state'), 0)}  web-3:\n    image: deb\n`);
    signals.emit('SIGHUP');
    await new Promise((r) => setTimeout(r, 200));
    expect(await ask('/ipxe/web-3')).toEqual({ status: 200, reused: true }); // new config, same connection
    await writeFile(configFile, 'server: [broken');
    signals.emit('SIGHUP');
    await new Promise((r) => setTimeout(r, 200));
    expect(await ask('/ipxe/web-3')).toEqual({ status: 200, reused: true }); // the previous config stays
    expect(lines.join('')).toContain('config reload failed');
    agent.destroy();
    await writeFile(configFile, configText(join(dir, 'state'), 0));
    await handle.stop();
  });

  it('uses a public_url changed in the config after SIGHUP', async () => {
    const signals = new EventEmitter();
    const handle = await runServe({ configFile, listen: '127.0.0.1:0' }, { logger: pino({ level: 'silent' }), say: () => undefined, signals, env: { METALBOOT_SECRET: 's' } });
    handle.server.context.boots.arm('web-1');
    try {
      expect(await (await fetch(`${handle.server.url}/ipxe/web-1`)).text()).toContain(`http://boot.test:8080/assets/${big.sha256}/`);
      await writeFile(configFile, configText(join(dir, 'state'), 0).replace('http://boot.test:8080', 'http://moved.test:9090'));
      signals.emit('SIGHUP');
      await new Promise((r) => setTimeout(r, 200));
      const script = await (await fetch(`${handle.server.url}/ipxe/web-1`)).text();
      expect(script).toContain(`http://moved.test:9090/assets/${big.sha256}/`);
      expect(script).not.toContain('boot.test');
      expect(await (await fetch(`${handle.server.url}/boot.ipxe`)).text()).toContain('http://moved.test:9090/ipxe/');
    } finally {
      await writeFile(configFile, configText(join(dir, 'state'), 0));
      await handle.stop();
    }
  });

  it('logs one line per request with an id and never the token', async () => {
    const { logger, lines } = capture();
    const handle = await runServe({ configFile, listen: '127.0.0.1:0' }, { logger, say: () => undefined, signals: new EventEmitter(), env: { METALBOOT_SECRET: 's', METALBOOT_TOKEN: 'bearer-secret' } });
    await (await fetch(`${handle.server.url}/preseed/web-1.cfg?token=deadbeefdeadbeef&x=1`)).text();
    await (await fetch(`${handle.server.url}/api/assets/${'0'.repeat(64)}`, { method: 'PUT', body: 'x', headers: { authorization: 'Bearer bearer-secret' } })).text();
    await handle.stop();
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ method: 'GET', status: 404, url: '/preseed/web-1.cfg?token=[redacted]&x=1' });
    expect(typeof requests[0]!.id).toBe('string');
    expect(requests[0]!.id).not.toBe(requests[1]!.id);
    expect(lines.join('')).not.toContain('deadbeef');
    expect(lines.join('')).not.toContain('bearer-secret');
  });

  it('finishes a download in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', configFile, '--listen', '127.0.0.1:0', '--drain', '20'], {
      env: { ...process.env, METALBOOT_SECRET: 's', METALBOOT_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /serving (http:\/\/[\d.]+:\d+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let refusedWhileDraining: Promise<boolean> | undefined;
    const body = await new Promise<Buffer>((resolve, reject) => {
      get(`${url}/assets/${big.sha256}/initrd.gz`, (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
          if (received >= 1 << 20 && chunks.length && !child.killed) {
            // a slow client: pause after the first MiB, signal, and resume later
            res.pause();
            child.kill('SIGTERM');
            refusedWhileDraining = refusesNewConnections(url).finally(() => res.resume());
          }
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(await refusedWhileDraining).toBe(true);
    expect(body.length).toBe(bigData.length);
    expect(createHash('sha256').update(body).digest('hex')).toBe(big.sha256);
    expect(await exited).toBe(0);
  }, 60_000);
});
