/**
 * GET /mirror/<image>/…: a mirror built by buildMirror from a fake signed upstream on loopback, served
 * by createApp as `metalboot serve` does — only the files its record lists, with the assets'
 * ETag/Range/conditional answer; a rebuild's new generation is what the next request sees.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { EventStore } from '../../src/events/store.js';
import { buildMirror } from '../../src/mirror/build.js';
import type { MirrorBuildOptions } from '../../src/mirror/build.js';
import { cacheRoot, mirrorDir } from '../../src/mirror/paths.js';
import { readPreseedAsks } from '../../src/mirror/preseed-asks.js';
import { createApp } from '../../src/server/app.js';
import { BootStore } from '../../src/boots/store.js';
import { createFakeArchive } from '../mirror/fake-archive.js';
import type { FakeArchive } from '../mirror/fake-archive.js';
import { createFakeImage } from '../mirror/fake-image.js';
import { createTestKey } from '../mirror/test-key.js';
import { startUpstream } from '../mirror/upstream-server.js';
import type { UpstreamServer } from '../mirror/upstream-server.js';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let dir: string;
let archive: FakeArchive;
let upstream: UpstreamServer;
let options: MirrorBuildOptions;
let server: Server;
let events: EventStore;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-serve-mirror-'));
  const key = await createTestKey(dir);
  archive = await createFakeArchive(join(dir, 'upstream'), key);
  upstream = await startUpstream(archive.root);
  const stateDir = join(dir, 'state');
  const image = await createFakeImage(stateDir, upstream.url);
  const cacheDir = cacheRoot(stateDir); // where serve looks ($METALBOOT_CACHE_DIR when set)
  options = { image, stateDir, upstream: upstream.url, out: mirrorDir(cacheDir, image.name), cacheDir, keyring: key.keyring, asks: readPreseedAsks(await readFile(new URL('../../preseed/bonded.cfg', import.meta.url), 'utf8')) };
  await buildMirror(options);
  const config = parseConfig(
    `server:\n  public_url: http://boot.test:8080\n  state_dir: ${stateDir}\n  cache_mb: 16\nimages:\n  debian12:\n    type: debian\n    mirror: ${upstream.url}\n    local_mirror: true\n  other:\n    type: files\n    kernel: ./linux\n    initrd: ./initrd\n`,
    join(dir, 'metalboot.yaml'),
  );
  events = new EventStore(':memory:');
  server = createServer(createApp({ config, secret: 'mirror-secret', events, boots: new BootStore(':memory:'), logger: pino({ level: 'silent' }) }).handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 60_000);

afterAll(async () => {
  server?.close();
  events?.close();
  await upstream?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${url}${path}`, { headers });

describe('GET /mirror/<image>/…', () => {
  it('serves a pool file as upstream signed it: immutable, ETag = sha256, ranges, 304', async () => {
    const path = archive.poolPath('openssh-server');
    const bytes = archive.pool.get(path)!;
    const res = await get(`/mirror/debian12/${path}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    const part = await get(`/mirror/debian12/${path}`, { range: 'bytes=3-9' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 3-9/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(3, 10));
    expect((await get(`/mirror/debian12/${path}`, { 'if-none-match': `"${sha256(bytes)}"` })).status).toBe(304);
    expect((await get(`/mirror/debian12/${path}`, { range: `bytes=${bytes.length}-` })).status).toBe(416);
    const head = await fetch(`${url}/mirror/debian12/${path}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('serves the signed suite and indexes at their paths with no-cache (they change on rebuild), by-hash twins as immutable', async () => {
    const inRelease = await get('/mirror/debian12/dists/bookworm/InRelease');
    expect(Buffer.from(await inRelease.arrayBuffer())).toEqual(archive.inRelease);
    expect(inRelease.headers.get('cache-control')).toBe('no-cache');
    expect(inRelease.headers.get('etag')).toBe(`"${sha256(archive.inRelease)}"`);
    for (const name of ['Release', 'Release.gpg']) expect((await get(`/mirror/debian12/dists/bookworm/${name}`)).status, name).toBe(200);
    const xz = await get('/mirror/debian12/dists/bookworm/main/binary-amd64/Packages.xz');
    expect(xz.headers.get('cache-control')).toBe('no-cache');
    const data = Buffer.from(await xz.arrayBuffer());
    const twin = await get(`/mirror/debian12/dists/bookworm/main/binary-amd64/by-hash/SHA256/${sha256(data)}`);
    expect(twin.status).toBe(200);
    expect(twin.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await twin.arrayBuffer())).toEqual(data);
  });

  it('answers 404 for anything its record does not list: the record itself, files planted in it, traversal, other images', async () => {
    const generation = await import('../../src/mirror/layout.js').then((m) => m.currentGeneration(options.out));
    await writeFile(join(generation!, 'planted.deb'), 'not from upstream');
    for (const path of [
      '/mirror/debian12/metalboot-mirror.json', '/mirror/debian12/planted.deb', '/mirror/debian12/', '/mirror/debian12',
      '/mirror/debian12/../images/debian12.json', '/mirror/debian12/%2e%2e/images/debian12.json', '/mirror/debian12/pool/%2e%2e/%2e%2e/metalboot-mirror.json',
      '/mirror/debian12/dists/bookworm/%00InRelease', `/mirror/other/${archive.poolPath('curl')}`, `/mirror/nope/${archive.poolPath('curl')}`,
      `/mirror/debian12/${archive.poolPath('unrelated-tool')}`, // in upstream, not needed: not in the mirror
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect((await get('/mirror/debian12/%E0%A4%A')).status).toBe(400); // the router's answer to a broken escape
  });

  it('follows a rebuild: a file the new generation drops is gone, the ones it keeps still served', async () => {
    const curl = `/mirror/debian12/${archive.poolPath('curl')}`;
    const openssh = `/mirror/debian12/${archive.poolPath('openssh-server')}`;
    expect((await get(openssh)).status).toBe(200);
    await buildMirror({ ...options, asks: { tasks: [], packages: ['curl'] } });
    expect((await get(openssh)).status).toBe(404);
    expect((await get(curl)).status).toBe(200);
  });
});
