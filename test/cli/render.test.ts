import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { captureIo } from './capture.js';

let dir: string;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, out, err } = captureIo({ METALBOOT_SECRET: 'test-secret' });
  const code = await runCli(args, io);
  return { code, stdout: out(), stderr: err() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-render-'));
  await writeFile(join(dir, 'linux'), 'kernel bytes');
  await writeFile(join(dir, 'initrd.gz'), 'initrd bytes');
  await writeFile(
    join(dir, 'metalboot.yaml'),
    `server:\n  public_url: http://boot.test:8080\nimages:\n  deb:\n    type: files\n    kernel: ./linux\n    initrd: ./initrd.gz\ndevices:\n  web-1:\n    image: deb\n    macs: [b4:96:91:aa:bb:01]\n  web-2:\n    image: deb\n`,
  );
  const stateDir = join(dir, '.metalboot');
  const kernel = await addAssetFromFile(stateDir, join(dir, 'linux'), 'linux');
  const initrd = await addAssetFromFile(stateDir, join(dir, 'initrd.gz'), 'initrd.gz');
  await writeManifest(stateDir, {
    schema: 1, name: 'deb', type: 'files', installer: false,
    variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: [] } },
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('metalboot render', () => {
  it('prints the script of a device looked up by MAC, with content-addressed URLs', async () => {
    const result = await run(['render', 'B4-96-91-AA-BB-01', '--config', join(dir, 'metalboot.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^#!ipxe\n# metalboot: iPXE script for device web-1 /);
    expect(result.stdout).toMatch(/kernel http:\/\/boot\.test:8080\/assets\/[0-9a-f]{64}\/linux /);
  });

  it('--base-url replaces server.public_url', async () => {
    const result = await run(['render', 'web-2', '--config', join(dir, 'metalboot.yaml'), '--base-url', 'https://cdn.test/x']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kernel https://cdn.test/x/assets/');
    expect(result.stdout).not.toContain('boot.test');
  });

  it('--chain prints the shared chain script', async () => {
    const result = await run(['render', '--chain', '--config', join(dir, 'metalboot.yaml')]);
    expect(result.stdout).toContain('chain --autofree http://boot.test:8080/ipxe/${mac:hexhyp} ||');
  });

  it('an unknown device exits 1 with one sentence naming the config and the devices', async () => {
    const result = await run(['render', 'web-9', '--config', join(dir, 'metalboot.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `metalboot: no device "web-9" in ${join(dir, 'metalboot.yaml')} (looked up by name, Metal id, MAC and UUID)\n  hint: devices: web-1, web-2\n`,
    );
  });

  it('bad usage exits 2', async () => {
    expect((await run(['render', '--config', join(dir, 'metalboot.yaml')])).code).toBe(2);
    expect((await run(['render', 'web-1', '--no-such-flag'])).code).toBe(2);
  });
});
