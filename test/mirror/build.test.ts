import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DebianImageConfig } from '../../src/config/types.js';
import { buildMirror } from '../../src/mirror/build.js';
import type { MirrorBuildOptions } from '../../src/mirror/build.js';
import { readPreseedAsks } from '../../src/mirror/preseed-asks.js';
import { ABI, OLD_ABI, createFakeArchive } from './fake-archive.js';
import type { FakeArchive } from './fake-archive.js';
import { createFakeImage } from './fake-image.js';
import { createTestKey } from './test-key.js';
import type { TestKey } from './test-key.js';
import { startUpstream } from './upstream-server.js';
import type { UpstreamServer } from './upstream-server.js';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const RELEASE_REQUESTS = ['dists/bookworm/InRelease', 'dists/bookworm/Release', 'dists/bookworm/Release.gpg'];
/** A preseed asking for less than bonded.cfg: a later run with BONDED_ASKS must rebuild. */
const SMALLER_ASKS = { tasks: [], packages: ['curl'] };
const BONDED_ASKS = readPreseedAsks(await readFile(new URL('../../preseed/bonded.cfg', import.meta.url), 'utf8'));

let dir: string;
let key: TestKey;
let archive: FakeArchive;
let upstream: UpstreamServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-mirror-'));
  key = await createTestKey(dir);
  archive = await createFakeArchive(join(dir, 'upstream'), key);
  upstream = await startUpstream(archive.root);
});
afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

describe('metalboot mirror against a fake upstream on loopback', () => {
  let work: string;
  let image: DebianImageConfig;
  let options: MirrorBuildOptions;

  beforeEach(async () => {
    work = await mkdtemp(join(dir, 'run-'));
    image = await createFakeImage(join(work, 'state'), upstream.url);
    options = { image, stateDir: join(work, 'state'), upstream: upstream.url, out: join(work, 'cache', 'mirrors', 'debian12'), cacheDir: join(work, 'cache'), keyring: key.keyring, asks: BONDED_ASKS };
    upstream.requests.length = 0;
    upstream.faults.clear();
  });

  const served = async (path: string): Promise<Buffer> => readFile(join(options.out, path));

  it('holds the signed suite verbatim and the pool files the install needs, each as upstream signed it', async () => {
    const summary = await buildMirror(options);
    expect(summary.arches).toEqual([{ arch: 'x86_64', debArch: 'amd64', abi: ABI, udebs: 4, debs: expect.any(Number) }]);
    expect(await served('dists/bookworm/InRelease')).toEqual(archive.inRelease);
    const xz = await served('dists/bookworm/main/binary-amd64/Packages.xz');
    expect(await served(`dists/bookworm/main/binary-amd64/by-hash/SHA256/${sha256(xz)}`)).toEqual(xz);
    const want = ['base-files', 'libc6', 'apt', 'less', 'linux-image-amd64', `linux-image-${ABI}`, 'initramfs-tools', 'busybox', 'grub-pc', 'grub-efi-amd64', 'grub-common',
      'openssh-server', 'task-ssh-server', 'tasksel', 'jq', 'curl', 'libcurl4', 'qemu-guest-agent',
      'partman-ext3', 'e2fsprogs-udeb', `ext4-modules-${ABI}-di`, `nic-modules-${ABI}-di`];
    for (const name of want) expect(await served(archive.poolPath(name)), name).toEqual(archive.pool.get(archive.poolPath(name)));
    for (const name of ['unrelated-tool', 'libstdc++6', 'anna', 'fancy-udeb', `ext4-modules-${OLD_ABI}-di`]) {
      await expect(stat(join(options.out, archive.poolPath(name))), name).rejects.toThrow(/ENOENT/);
    }
    expect(summary.fetched.files).toBe(summary.files - 3);
    expect(summary.reused.files).toBe(0);
    const record = JSON.parse((await served('metalboot-mirror.json')).toString('utf8')) as { files: { path: string }[] };
    expect(record.files.map((file) => file.path)).toContain(archive.poolPath('grub-pc'));
  });

  it('fetches nothing but the signed Release files when run again, and keeps the mirror as it is', async () => {
    const first = await buildMirror(options);
    upstream.requests.length = 0;
    const second = await buildMirror(options);
    expect(upstream.requests.sort()).toEqual(RELEASE_REQUESTS);
    expect(second).toMatchObject({ unchanged: true, generation: first.generation, fetched: { files: 0, bytes: 0 }, files: first.files, bytes: first.bytes });
    expect(second.reused.files).toBe(first.fetched.files);
  });

  it('rebuilds from the cache when the preseed asks for more, fetching only the new files', async () => {
    const first = await buildMirror({ ...options, asks: SMALLER_ASKS });
    upstream.requests.length = 0;
    const second = await buildMirror(options);
    expect(second.unchanged).toBe(false);
    expect(second.generation).not.toBe(first.generation);
    const fetchedPool = upstream.requests.filter((path) => path.startsWith('pool/')).sort();
    expect(fetchedPool).toEqual([archive.poolPath('jq'), archive.poolPath('less'), archive.poolPath('openssh-server'), archive.poolPath('task-ssh-server')].sort());
    expect(await readdir(`${options.out}.gens`)).toEqual([second.generation.split('/').pop()]);
  });

  it('refuses a pool file whose content differs from its signed sha256 and keeps the previous mirror', async () => {
    await buildMirror({ ...options, cacheDir: join(work, 'first-cache'), asks: SMALLER_ASKS });
    const before = await readlink(options.out);
    upstream.faults.set(archive.poolPath('curl'), { body: Buffer.from('curl payload, altered\n'.padEnd(archive.pool.get(archive.poolPath('curl'))!.length, '!')) });
    await expect(buildMirror(options)).rejects.toThrow(/checksum mismatch for .*curl_1\.0-1_amd64\.deb/);
    expect(await readlink(options.out)).toBe(before);
    expect(await served(archive.poolPath('curl'))).toEqual(archive.pool.get(archive.poolPath('curl')));
    expect(await readdir(`${options.out}.gens`)).toEqual([before.split('/').pop()]);
  });

  it('refuses a truncated file and keeps nothing of it in the cache', async () => {
    const path = archive.poolPath(`linux-image-${ABI}`);
    upstream.faults.set(path, { truncateTo: 10 });
    await expect(buildMirror(options)).rejects.toThrow(/was truncated: got 10 of \d+ bytes/);
    expect((await readdir(options.cacheDir)).filter((name) => name.startsWith('.partial'))).toEqual([]);
    await expect(stat(options.out)).rejects.toThrow(/ENOENT/);
  });

  it('refuses an InRelease altered after signing', async () => {
    const tampered = Buffer.from(archive.inRelease.toString('utf8').replace('Description: fake bookworm', 'Description: fake bookwarm'));
    upstream.faults.set('dists/bookworm/InRelease', { body: tampered });
    await expect(buildMirror(options)).rejects.toThrow(/bad signature on .*InRelease/);
  });

  it('refuses a suite signed by a key outside the keyring', async () => {
    const stranger = await createTestKey(await mkdtemp(join(dir, 'stranger-')), 'stranger');
    await expect(buildMirror({ ...options, keyring: stranger.keyring })).rejects.toThrow(/no valid signature from a key in .*stranger/);
  });

  it('names every file the upstream lacks, and builds an incomplete mirror only when allowed', async () => {
    upstream.faults.set(archive.poolPath('jq'), { status: 404 });
    upstream.faults.set(archive.poolPath('e2fsprogs-udeb'), { status: 404 });
    await expect(buildMirror(options)).rejects.toThrow(/lacks 2 of the \d+ files .*e2fsprogs-udeb.*jq/);
    await expect(stat(options.out)).rejects.toThrow(/ENOENT/);
    const summary = await buildMirror({ ...options, allowMissing: true });
    expect(summary.missing).toEqual([archive.poolPath('e2fsprogs-udeb'), archive.poolPath('jq')]);
    const record = JSON.parse((await served('metalboot-mirror.json')).toString('utf8')) as { missing: string[] };
    expect(record.missing).toEqual(summary.missing);
  });

  it('refuses an --out that is a directory of something else, before fetching anything', async () => {
    await mkdir(options.out, { recursive: true });
    await expect(buildMirror(options)).rejects.toThrow(/exists and is not a metalboot mirror/);
    expect(upstream.requests).toEqual([]);
  });

  it('leaves the previous mirror serving when a run fails part-way', async () => {
    const first = await buildMirror({ ...options, asks: SMALLER_ASKS });
    await rm(join(options.cacheDir, sha256(archive.pool.get(archive.poolPath('grub-pc'))!)));
    upstream.faults.set(archive.poolPath('grub-pc'), { status: 500 });
    await expect(buildMirror(options)).rejects.toThrow(/HTTP 500/);
    expect(await readlink(options.out)).toBe(first.generation.split('/').slice(-2).join('/'));
    expect(await served(archive.poolPath('grub-pc'))).toEqual(archive.pool.get(archive.poolPath('grub-pc')));
    expect(await readdir(`${options.out}.gens`)).toEqual([first.generation.split('/').pop()]);
  });
});
