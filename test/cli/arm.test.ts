import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { startServer } from '../../src/server/start.js';
import type { RunningServer } from '../../src/server/start.js';
import { captureIo } from './capture.js';

let dir: string;
let configFile: string;
let server: RunningServer;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, out, err } = captureIo({});
  const code = await runCli([...args, '--config', configFile], io);
  return { code, stdout: out(), stderr: err() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-arm-'));
  await writeFile(join(dir, 'linux'), 'kernel bytes');
  await writeFile(join(dir, 'initrd.gz'), 'initrd bytes');
  configFile = join(dir, 'metalboot.yaml');
  const yaml = `server:\n  listen: 127.0.0.1:0\n  public_url: http://boot.test:8080\nimages:\n  deb:\n    type: files\n    kernel: ./linux\n    initrd: ./initrd.gz\ndevices:\n  web-1:\n    image: deb\n    macs: [b4:96:91:aa:bb:01]\n`;
  await writeFile(configFile, yaml);
  const config = parseConfig(yaml, configFile);
  const stateDir = config.server.stateDir;
  const kernel = await addAssetFromFile(stateDir, join(dir, 'linux'), 'linux');
  const initrd = await addAssetFromFile(stateDir, join(dir, 'initrd.gz'), 'initrd.gz');
  await writeManifest(stateDir, { schema: 1, name: 'deb', type: 'files', installer: false, variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['metalboot.events={{events_url}}'] } } });
  // the server runs apart from the CLI, as `metalboot serve` would: they share <state_dir>/boots.db
  server = await startServer({ config, secret: 's', logger: pino({ level: 'silent' }), listen: { host: '127.0.0.1', port: 0 } });
});

afterAll(async () => {
  await server.close(200);
  await rm(dir, { recursive: true, force: true });
});

describe('metalboot arm', () => {
  it('opens a window the running server honours, and --disarm closes it', async () => {
    expect((await fetch(`${server.url}/ipxe/web-1`)).status).toBe(404);
    const armed = await run(['arm', 'b4:96:91:aa:bb:01', '--for', '30m', '--json']);
    expect(armed.code).toBe(0);
    const summary = JSON.parse(armed.stdout) as { device: string; armed: boolean; expiresAt: string; scriptUrl: string };
    expect(summary).toMatchObject({ device: 'web-1', armed: true });
    expect(Date.parse(summary.expiresAt) - Date.now()).toBeGreaterThan(29 * 60_000);
    const token = /\?token=([0-9a-f]{64})$/.exec(summary.scriptUrl)?.[1];
    expect(token).toBeDefined();
    const script = await (await fetch(`${server.url}/ipxe/web-1?token=${token}`)).text();
    expect(script).toContain(`/events/web-1?token=${token}`);
    expect((await fetch(`${server.url}/events/web-1?token=${token}`, { method: 'POST', body: '{"state":"running"}' })).status).toBe(201);

    const disarmed = await run(['arm', 'web-1', '--disarm']);
    expect(disarmed).toMatchObject({ code: 0, stdout: 'web-1: disarmed; its boot tokens no longer work\n' });
    expect((await fetch(`${server.url}/events/web-1?token=${token}`, { method: 'POST', body: '{"state":"running"}' })).status).toBe(404);
    expect((await fetch(`${server.url}/ipxe/web-1`)).status).toBe(404);
  });

  it('refuses an unknown device and a window that is not a duration, naming the fix', async () => {
    const unknown = await run(['arm', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no device "nobody"');
    for (const bad of ['2', 'soon', '0h', '8d', '2h 5m']) {
      const result = await run(['arm', 'web-1', '--for', bad]);
      expect(result.code, bad).toBe(2);
      expect(result.stderr).toMatch(/--for/);
    }
  });
});
