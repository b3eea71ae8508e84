/**
 * Finding 6: an empty config on SIGHUP (a file caught mid-write) was accepted: every device then
 * 404'd and state_dir fell back to ./.metalboot. A reload that drops every device or moves state_dir
 * is refused with a logged warning; the old config keeps serving. A good reload still applies.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { runServe } from '../../src/server/run.js';
import type { ServeHandle } from '../../src/server/run.js';
import { configText, seeded } from '../server/fixture.js';

let dir: string;
let configFile: string;
let stateDir: string;
let handle: ServeHandle;
const signals = new EventEmitter();
const lines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-hup-'));
  stateDir = join(dir, 'state');
  configFile = join(dir, 'metalboot.yaml');
  await writeFile(configFile, configText(stateDir, 0));
  await writeFile(join(dir, 'linux'), seeded(1000, 1));
  await writeFile(join(dir, 'initrd'), seeded(1000, 2));
  const kernel = await addAssetFromFile(stateDir, join(dir, 'linux'), 'linux');
  const initrd = await addAssetFromFile(stateDir, join(dir, 'initrd'), 'initrd.gz');
  await writeManifest(stateDir, { schema: 1, name: 'deb', type: 'files', installer: false, variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: [] } } });
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
  handle = await runServe({ configFile, listen: '127.0.0.1:0', drainMs: 100 }, { logger: pino(sink), say: () => undefined, signals, env: { METALBOOT_SECRET: 's' } });
  // armed, as `reimage` or `metalboot arm` would: a plain image's script is served only during a boot
  for (const name of Object.keys(handle.server.context.config.devices)) handle.server.context.boots.arm(name);
});
afterAll(async () => {
  await handle.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Sends SIGHUP and waits for the server's log line about that reload. */
async function hup(): Promise<Record<string, unknown>> {
  const before = lines.length;
  signals.emit('SIGHUP');
  for (let i = 0; i < 200 && lines.length === before; i++) await new Promise((r) => setTimeout(r, 10));
  return JSON.parse(lines.at(-1)!) as Record<string, unknown>;
}

const script = (device: string): Promise<Response> => fetch(`${handle.server.url}/ipxe/${device}`);

describe('SIGHUP with a config that would drop everything (finding 6)', () => {
  it.each([
    ['an empty file', () => ''],
    ['only a comment', () => '# being written\n'],
    ['a file cut after the server section', () => configText(stateDir, 0).split('images:')[0]!],
    ['another state_dir', () => configText(join(dir, 'elsewhere'), 0)],
  ])('refuses %s with a warning, and every device keeps its script', async (_label, text) => {
    await writeFile(configFile, text());
    const logged = await hup();
    expect(logged).toMatchObject({ level: 40, msg: 'config reload refused; keeping the previous config' });
    expect(String(logged.reason)).toMatch(/no devices|state_dir/);
    expect(handle.server.context.config.server.stateDir).toBe(stateDir);
    for (const device of ['web-1', 'web-2']) expect((await script(device)).status).toBe(200);
  });

  it('still applies a good reload (a device removed, one kept)', async () => {
    await writeFile(configFile, configText(stateDir, 0).replace(/ {2}web-2:\n.*\n.*\n$/, ''));
    const logged = await hup();
    expect(logged).toMatchObject({ msg: 'config reloaded' });
    expect((await script('web-1')).status).toBe(200);
    expect((await script('web-2')).status).toBe(404);
  });
});
