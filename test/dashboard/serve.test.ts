/** `metalboot serve` mounts the dashboard: a real process, logged into with METALBOOT_READ_TOKEN. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

it('metalboot serve answers /ui; the read token logs in and sees the config\'s devices, read-only', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-dashboard-serve-'));
  dirs.push(dir);
  const configFile = join(dir, 'metalboot.yaml');
  await writeFile(configFile, `server:\n  state_dir: ${join(dir, 'state')}\nimages:\n  deb:\n    type: files\n    kernel: /srv/linux\n    initrd: /srv/initrd.gz\ndevices:\n  db-7:\n    image: deb\n    macs: ["b4:96:91:aa:bb:07"]\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', configFile, '--listen', '127.0.0.1:0', '--drain', '1'], {
    env: { PATH: process.env.PATH, METALBOOT_SECRET: 's', METALBOOT_READ_TOKEN: 'read-only-77', METALBOOT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /serving (http:\/\/[\d.]+:\d+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const login = await fetch(`${url}/ui/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'token=read-only-77' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const devices = await (await fetch(`${url}/ui/devices`, { headers: { Cookie: cookie } })).text();
    expect(devices).toContain('<a href="/ui/devices/db-7">db-7</a>');
    expect(devices).toContain('<span class="role">read-only</span>');
    const device = await (await fetch(`${url}/ui/devices/db-7`, { headers: { Cookie: cookie } })).text();
    expect(device).toContain('Re-image: no provider is configured');
  } finally {
    child.kill('SIGTERM');
  }
}, 60_000);
