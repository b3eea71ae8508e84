import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { AssetRef } from '../../src/image/manifest.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture.js';
import { DirectoryTarget } from '../../src/push/directory.js';
import { openDestination } from '../../src/push/destination.js';
import { pushImage } from '../../src/push/push.js';
import { ServerTarget } from '../../src/push/server.js';
import { configText, seeded, startFixture, UPLOAD_TOKEN } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';

const SECRET = 'push-secret';
let dir: string;
let config: Config;
let kernel: AssetRef;
let initrd: AssetRef;
const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-push-'));
  const stateDir = join(dir, 'state');
  await writeFile(join(dir, 'metalboot.yaml'), configText(stateDir));
  config = parseConfig(configText(stateDir), join(dir, 'metalboot.yaml'));
  await writeFile(join(dir, 'linux'), seeded(700_000, 21));
  await writeFile(join(dir, 'initrd.gz'), seeded(10 * 1024 * 1024 + 5, 22)); // > one 8 MiB part: multipart on S3
  kernel = await addAssetFromFile(stateDir, join(dir, 'linux'), 'linux');
  initrd = await addAssetFromFile(stateDir, join(dir, 'initrd.gz'), 'initrd.gz');
  await writeManifest(stateDir, {
    schema: 1, name: 'deb', type: 'files', installer: false,
    variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: [] } },
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every asset URL in a script, fetched back, must hash to the sha256 in its path. */
async function checkScriptUrls(script: string, base: string): Promise<number> {
  const urls = [...script.matchAll(/https?:\/\/[^\s"']+\/assets\/([0-9a-f]{64})\/[A-Za-z0-9._+-]+/g)];
  const unique = new Map(urls.map((m) => [m[0], m[1]!]));
  for (const [url, hash] of unique) {
    expect(url.startsWith(`${base}/assets/`), url).toBe(true);
    const res = await fetch(url);
    expect(res.status, url).toBe(200);
    expect(sha(new Uint8Array(await res.arrayBuffer())), url).toBe(hash);
  }
  return unique.size;
}

async function listAll(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map(String).sort();
}

describe('push to a directory', () => {
  it('writes assets, manifest and every device script, then skips what exists', async () => {
    const out = join(dir, 'www');
    const target = new DirectoryTarget(out);
    const first = await pushImage({ config, image: 'deb', target, baseUrl: 'http://static.test/boot', secret: SECRET });
    expect(first.uploaded.map((a) => a.name)).toEqual(['linux', 'initrd.gz']);
    expect(first.scripts).toEqual(['ipxe/web-1', 'ipxe/web-2', 'boot.ipxe']);
    expect(sha(await readFile(join(out, 'assets', initrd.sha256, 'initrd.gz')))).toBe(initrd.sha256);
    expect(await readFile(join(out, 'ipxe', 'web-1'), 'utf8')).toContain(`http://static.test/boot/assets/${kernel.sha256}/linux`);
    expect(await readFile(join(out, 'boot.ipxe'), 'utf8')).toContain('http://static.test/boot/ipxe/');
    expect(JSON.parse(await readFile(join(out, 'images', 'deb.json'), 'utf8')).name).toBe('deb');
    const second = await pushImage({ config, image: 'deb', target, baseUrl: 'http://static.test/boot', secret: SECRET });
    expect(second.uploaded).toEqual([]);
    expect(second.skipped).toHaveLength(2);
    expect((await listAll(out)).filter((p) => p.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves neither the file nor a temp file behind when a copy fails', async () => {
    const out = join(dir, 'www-fail');
    const target = new DirectoryTarget(out);
    await expect(target.putAsset(kernel, join(dir, 'does-not-exist'), () => undefined)).rejects.toThrow();
    expect(await listAll(out)).toEqual(['assets', `assets/${kernel.sha256}`]);
  });

  it('prints a JSON result from the command line', async () => {
    const out = join(dir, 'www-cli');
    const { io, out: stdout } = captureIo();
    const code = await runCli(['push', 'deb', '--to', out, '--base-url', 'http://cli.test', '--json', '--config', join(dir, 'metalboot.yaml')], io);
    expect(code).toBe(0);
    const result = JSON.parse(stdout()) as { uploaded: AssetRef[]; baseUrl: string };
    expect(result.uploaded).toHaveLength(2);
    expect(result.baseUrl).toBe('http://cli.test');
  });
});

describe('push to a directory without --base-url', () => {
  it('fails with usage exit 2 instead of pointing the scripts at server.public_url', async () => {
    const out = join(dir, 'www-no-base');
    const { io, err } = captureIo();
    const code = await runCli(['push', 'deb', '--to', out, '--config', join(dir, 'metalboot.yaml')], io);
    expect(code).toBe(2);
    expect(err()).toContain('needs --base-url');
    expect(await listAll(out).catch(() => [])).toEqual([]); // nothing copied before the check
  });
});

describe('push to a metalboot server', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(() => f.close());

  it('uploads the missing assets and the manifest; the server then serves scripts for them', async () => {
    const target = new ServerTarget(f.url, UPLOAD_TOKEN);
    const first = await pushImage({ config, image: 'deb', target, secret: SECRET });
    expect(first.uploaded).toHaveLength(2);
    expect(first.scripts).toEqual([]);
    const script = await (await fetch(`${f.url}/ipxe/web-1`)).text();
    expect(script).toContain(`/assets/${initrd.sha256}/initrd.gz`);
    const res = await fetch(`${f.url}/assets/${initrd.sha256}/initrd.gz`);
    expect(sha(new Uint8Array(await res.arrayBuffer()))).toBe(initrd.sha256);
    const second = await pushImage({ config, image: 'deb', target, secret: SECRET });
    expect(second.uploaded).toEqual([]);
  });

  it('fails with the reason the server gave when the token is wrong or missing', async () => {
    const wrong = new ServerTarget(f.url, 'wrong');
    await expect(wrong.putManifest({ schema: 1, name: 'deb', type: 'files', installer: false, variants: {} })).rejects.toThrow(/401.*METALBOOT_TOKEN/);
    const none = new ServerTarget(f.url, undefined);
    await expect(none.putManifest({ schema: 1, name: 'deb', type: 'files', installer: false, variants: {} })).rejects.toThrow(/needs METALBOOT_TOKEN/);
  });
});

describe('push to S3-compatible storage (s3rver on 127.0.0.1)', () => {
  let s3: S3rver;
  let endpoint: string;
  const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  beforeAll(async () => {
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'boot', configs: [] }] });
    const address = await s3.run();
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await s3.close();
  });

  it('uploads (multipart for the big initrd), skips what exists, and script URLs resolve to the objects', async () => {
    const { target, defaultBaseUrl } = await openDestination('s3://boot/prod/x86', { s3Endpoint: endpoint, env });
    expect(defaultBaseUrl).toBe(`${endpoint}/boot/prod/x86`);
    const first = await pushImage({ config, image: 'deb', target, baseUrl: defaultBaseUrl, secret: SECRET });
    expect(first.uploaded).toHaveLength(2);
    expect(first.scripts).toContain('ipxe/web-2');
    const script = await (await fetch(`${defaultBaseUrl}/ipxe/web-1`)).text();
    expect(script).toMatch(/^#!ipxe/);
    expect(await checkScriptUrls(script, defaultBaseUrl!)).toBe(2);
    const chain = await (await fetch(`${defaultBaseUrl}/boot.ipxe`)).text();
    expect(chain).toContain(`${defaultBaseUrl}/ipxe/`);
    const second = await pushImage({ config, image: 'deb', target, baseUrl: defaultBaseUrl, secret: SECRET });
    expect(second.uploaded).toEqual([]);
    expect(second.skipped).toHaveLength(2);
    await target.close?.();
  });
});
