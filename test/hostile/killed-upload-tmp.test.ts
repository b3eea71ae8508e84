/**
 * Finding 8: an upload interrupted by killing the server left tmp/upload-* behind for ever. A real
 * server is killed (SIGKILL) mid-upload; the next start removes what the dead process left, and
 * keeps the temp files of processes still running (a build next to the server).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { startServer } from '../../src/server/start.js';
import { configText } from '../server/fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];
let dir: string | undefined;
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('tmp/ after a server killed mid-upload (finding 8)', () => {
  it('the next start removes the dead upload and keeps a live process\'s temp file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-killed-'));
    const stateDir = join(dir, 'state');
    const configFile = join(dir, 'metalboot.yaml');
    await writeFile(configFile, configText(stateDir, 0));
    const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--config', configFile, '--listen', '127.0.0.1:0'], {
      cwd: ROOT, env: { ...process.env, METALBOOT_TOKEN: 'tok', METALBOOT_SECRET: 's' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(server);
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await until('the server to listen', async () => /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]);

    // an upload that sends half its body and then waits
    const upload = request(`${url}/api/assets/${'a'.repeat(64)}`, { method: 'PUT', headers: { authorization: 'Bearer tok', 'content-length': String(4 << 20) } });
    upload.on('error', () => undefined);
    upload.write(Buffer.alloc(2 << 20, 1));
    const tmpNames = (): Promise<string[]> => readdir(join(stateDir, 'tmp')).catch(() => []);
    const partial = await until('the partial upload in tmp/', async () => (await tmpNames()).find((name) => name.startsWith('upload-')));
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    upload.destroy();
    expect(await tmpNames()).toContain(partial);

    // a temp file of a process that still runs (a build next to the server) must survive
    const live = spawn('sleep', ['60']);
    children.push(live);
    const livePath = join(stateDir, 'tmp', `initrd.gz.${live.pid}.0123456789ab`);
    await writeFile(livePath, 'building');

    const logged: string[] = [];
    const config = parseConfig(configText(stateDir, 0), configFile);
    const next = await startServer({ config, secret: 's', logger: pino({}, { write: (line: string) => void logged.push(line) }), listen: { host: '127.0.0.1', port: 0 } });
    await next.close(100);
    expect(await tmpNames()).toEqual([`initrd.gz.${live.pid}.0123456789ab`]);
    expect(logged.join('')).toContain(partial);
  }, 60_000);
});
