import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { BuildError } from '../../src/errors.js';
import { buildImage } from '../../src/image/build.js';
import { assetFile } from '../../src/image/store.js';
import { readCpioArchives } from '../../src/initrd/cpio-reader.js';
import { fakeInitrd, put, sha256, useStaticServer, useTmp } from './helpers.js';

const tmp = useTmp();
const serve = useStaticServer();
const IMAGES = 'dists/bookworm/main/installer-amd64/current/images';
const NETBOOT_PKG = '/usr/lib/debian-installer/images/12';

/** A local directory laid out like a Debian mirror (fabricated kernel and initrd). */
async function fakeMirror(dir: string, opts: { badSum?: boolean; arch?: string } = {}): Promise<string> {
  const mirror = join(dir, 'mirror');
  const arch = opts.arch ?? 'amd64';
  const images = IMAGES.replace('amd64', arch);
  const kernel = Buffer.from('DEBIAN-KERNEL');
  const initrd = await fakeInitrd();
  await put(join(mirror, images, `netboot/debian-installer/${arch}/linux`), kernel);
  await put(join(mirror, images, `netboot/debian-installer/${arch}/initrd.gz`), initrd);
  const sums = [
    `${opts.badSum ? sha256('other') : sha256(kernel)}  ./netboot/debian-installer/${arch}/linux`,
    `${sha256(initrd)}  ./netboot/debian-installer/${arch}/initrd.gz`,
    `${sha256('x')}  ./cdrom/vmlinuz`,
  ];
  await put(join(mirror, images, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  return mirror;
}

const configFor = (dir: string, source: string, extra = ''): ReturnType<typeof parseConfig> =>
  parseConfig(`images:\n  deb:\n    type: debian\n    ${source}\n${extra}`, join(dir, 'metalboot.yaml'));

async function overlayNames(stateDir: string, sha: string): Promise<string[]> {
  const bytes = gunzipSync(await readFile(assetFile(stateDir, sha)));
  const names: string[] = [];
  for await (const entry of readCpioArchives((async function* () { yield bytes; })())) names.push(entry.name);
  return names;
}

describe('debian images', () => {
  it('builds from a local mirror directory, verified and with /preseed.cfg injected', async () => {
    const dir = await tmp();
    await fakeMirror(dir);
    const { manifest } = await buildImage(configFor(dir, 'mirror: mirror'), 'deb');
    expect(manifest.installer).toBe(true);
    const variant = manifest.variants.x86_64!;
    expect(variant.kernel).toMatchObject({ name: 'linux', sha256: sha256('DEBIAN-KERNEL') });
    expect(variant.initrd.name).toBe('initrd.gz');
    expect(variant.cmdline).toEqual(['auto=true', 'priority=critical', 'url={{preseed_url}}']);
    expect(await overlayNames(join(dir, '.metalboot'), variant.initrd.sha256)).toEqual(['init', 'preseed.cfg']);
  });

  it('publishes the arm64 initrd uncompressed, preseed included, and skips x86 microcode', async () => {
    const dir = await tmp();
    await fakeMirror(dir, { arch: 'arm64' });
    await put(join(dir, 'ucode', 'intel-ucode', '06-55-04'), 'UCODE');
    const { manifest } = await buildImage(configFor(dir, 'mirror: mirror', '    arch: arm64\n    microcode: ucode\n'), 'deb');
    const variant = manifest.variants.arm64!;
    expect(variant.compression).toBe('none');
    expect(variant.initrd.name).toBe('initrd');
    const bytes = await readFile(assetFile(join(dir, '.metalboot'), variant.initrd.sha256));
    const names: string[] = [];
    for await (const entry of readCpioArchives((async function* () { yield bytes; })())) names.push(entry.name);
    expect(names).toEqual(['init', 'preseed.cfg']);
  });

  it('builds from an http mirror and leaves the initrd alone in url mode', async () => {
    const dir = await tmp();
    const server = await serve(await fakeMirror(dir));
    const { manifest } = await buildImage(configFor(dir, `mirror: ${server.url}/`, '    preseed_mode: url\n'), 'deb');
    expect(server.requests).toEqual([`/${IMAGES}/SHA256SUMS`, `/${IMAGES}/netboot/debian-installer/amd64/linux`, `/${IMAGES}/netboot/debian-installer/amd64/initrd.gz`]);
    expect(manifest.variants.x86_64!.initrd.sha256).toBe(sha256(await fakeInitrd()));
  });

  const netbootInitrd = join(NETBOOT_PKG, 'amd64/text/debian-installer/amd64/initrd.gz');
  it.skipIf(!existsSync(netbootInitrd))('uses the debian-installer-12-netboot-amd64 package directory', async () => {
    const dir = await tmp();
    const pkg = await stat(netbootInitrd);
    const { manifest } = await buildImage(configFor(dir, `netboot_dir: ${NETBOOT_PKG}`), 'deb');
    expect(manifest.variants.x86_64!.initrd.size).toBeGreaterThan(pkg.size);
  });

  it('fails on a checksum mismatch and writes nothing', async () => {
    const dir = await tmp();
    const server = await serve(await fakeMirror(dir, { badSum: true }));
    const error = await buildImage(configFor(dir, `mirror: ${server.url}`), 'deb').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as Error).message).toMatch(/checksum mismatch for http.*\/linux: expected sha256 [0-9a-f]{64}, got/);
    const state = join(dir, '.metalboot');
    expect(await readdir(join(state, 'cache'))).toHaveLength(1); // only SHA256SUMS
    expect(await readdir(join(state, 'tmp'))).toEqual([]);
    await expect(stat(join(state, 'images'))).rejects.toThrow();
    await expect(stat(join(state, 'assets'))).rejects.toThrow();
  });

  it('fails on a truncated download and keeps the previous good image', async () => {
    const dir = await tmp();
    const server = await serve(await fakeMirror(dir));
    const config = configFor(dir, `mirror: ${server.url}`);
    const good = await buildImage(config, 'deb', { stateDir: join(dir, 'state') });
    const before = await readFile(good.manifestPath, 'utf8');
    await put(join(dir, 'mirror', IMAGES, 'netboot/debian-installer/amd64/initrd.gz'), await fakeInitrd([{ type: 'file', name: 'new', data: Buffer.alloc(4096, 1) }]));
    const sums = await readFile(join(dir, 'mirror', IMAGES, 'SHA256SUMS'), 'utf8');
    await put(join(dir, 'mirror', IMAGES, 'SHA256SUMS'), sums.replace(/^\S+(\s+\.\/netboot\/debian-installer\/amd64\/initrd\.gz)$/m, `${sha256(await readFile(join(dir, 'mirror', IMAGES, 'netboot/debian-installer/amd64/initrd.gz')))}$1`));
    server.faults.set(`/${IMAGES}/netboot/debian-installer/amd64/initrd.gz`, 'truncate');
    await expect(buildImage(config, 'deb', { stateDir: join(dir, 'state') })).rejects.toThrow(/download of http.*initrd\.gz was truncated/);
    expect(await readFile(good.manifestPath, 'utf8')).toBe(before);
    expect(await readdir(join(dir, 'state', 'tmp'))).toEqual([]);
  });

  it('names a missing mirror file and a missing checksum entry', async () => {
    const dir = await tmp();
    const server = await serve(join(dir, 'empty'));
    await expect(buildImage(configFor(dir, `mirror: ${server.url}`), 'deb')).rejects.toThrow(/cannot download .*SHA256SUMS: HTTP 404/);
    const mirror = await fakeMirror(dir);
    await put(join(mirror, IMAGES, 'SHA256SUMS'), '');
    await expect(buildImage(configFor(dir, 'mirror: mirror'), 'deb')).rejects.toThrow(/SHA256SUMS has no sha256 for netboot\/debian-installer\/amd64\/linux/);
    await expect(buildImage(configFor(dir, 'netboot_dir: mirror'), 'deb')).rejects.toThrow(/netboot_dir .* has no linux \+ initrd\.gz for amd64/);
  });
});
