import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { execa, execaSync } from 'execa';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { RootfsImageConfig } from '../../src/config/types.js';
import { buildImage } from '../../src/image/build.js';
import { assetFile, readManifest } from '../../src/image/store.js';
import { rootfsCacheKey } from '../../src/image/rootfs/cache-key.js';
import type { CacheKeyInput } from '../../src/image/rootfs/cache-key.js';
import { initrdName, planRootfsArch } from '../../src/image/rootfs/build.js';
import { mmdebstrapArgs } from '../../src/image/rootfs/mmdebstrap-args.js';
import { moduleName, parseModulesDep, selectModules } from '../../src/image/rootfs/modules.js';
import { packageSet } from '../../src/image/rootfs/packages.js';
import { fetchMirrorRelease, parseReleaseDate } from '../../src/image/rootfs/release.js';
import { readShipped, shippedDigest } from '../../src/image/rootfs/shipped.js';
import { fakeInitrd, put, sha256, useTmp } from './helpers.js';

const tmp = useTmp();
const show = (args: string[]): string => `${args.join('\n')}\n`;
const RELEASE = 'Origin: Debian\nSuite: oldstable\nCodename: bookworm\nDate: Sat, 11 Jul 2026 10:16:37 UTC\nArchitectures: amd64 arm64\n';

function rootfsConfig(dir: string, extra = ''): ReturnType<typeof parseConfig> {
  return parseConfig(`images:\n  ram:\n    type: rootfs\n    mirror: ./mirror\n${extra}`, join(dir, 'metalboot.yaml'));
}

describe('rootfs config', () => {
  it('defaults to bookworm from deb.debian.org, main, x86_64, no extra packages or modules', () => {
    const image = parseConfig('images:\n  ram:\n    type: rootfs\n', '/srv/metalboot.yaml').images.ram as RootfsImageConfig;
    expect(image).toMatchObject({ type: 'rootfs', suite: 'bookworm', mirror: 'http://deb.debian.org/debian', components: ['main'], packages: [], modules: [], arches: ['x86_64'] });
  });

  it('turns a local mirror directory into a file:// URL and keeps package and module lists', () => {
    const image = parseConfig('images:\n  ram:\n    type: rootfs\n    arch: [amd64, arm64]\n    mirror: ./mirror/\n    packages: [htop, "vim-tiny=2:9.0.1378-2", lldpd/bookworm-backports]\n    modules: [nicvf, drivers/net/ethernet/intel]\n', '/srv/metalboot.yaml').images.ram;
    expect(image).toMatchObject({ mirror: 'file:///srv/mirror', packages: ['htop', 'vim-tiny=2:9.0.1378-2', 'lldpd/bookworm-backports'], modules: ['nicvf', 'drivers/net/ethernet/intel'], arches: ['x86_64', 'arm64'] });
  });

  it.each([
    ['an apt pattern', 'packages: ["?priority(required)"]', /images\.ram\.packages\[0\]: expected a Debian package name/],
    ['a package list hidden in one name', 'packages: ["a,b"]', /images\.ram\.packages\[0\]/],
    ['a module path climbing out of kernel/', 'modules: ["../../etc"]', /images\.ram\.modules\[0\]/],
    ['an ftp mirror', 'mirror: ftp://ftp.debian.org/debian', /images\.ram\.mirror: "ftp:\/\/ftp\.debian\.org\/debian" must be an http/],
    ['a field of another image type', 'release: bookworm', /images\.ram\.release: unknown field/],
  ])('refuses %s, naming file:line and the field', (_title, line, message) => {
    expect(() => parseConfig(`images:\n  ram:\n    type: rootfs\n    ${line}\n`, '/srv/metalboot.yaml')).toThrow(message);
    expect(() => parseConfig(`images:\n  ram:\n    type: rootfs\n    ${line}\n`, '/srv/metalboot.yaml')).toThrow(/\/srv\/metalboot\.yaml:4/);
  });
});

describe('rootfs build plan (pure parts)', () => {
  it('runs mmdebstrap as root into a directory, essential variant, no docs, merged /usr, the stand-in .deb', async () => {
    const args = mmdebstrapArgs({
      suite: 'bookworm', debArch: 'amd64', mirror: 'http://deb.debian.org/debian', components: ['main'],
      packages: packageSet('x86_64', ['htop']), localDebs: ['/state/tmp/rootfs/metalboot-no-initramfs.deb'], target: '/state/tmp/rootfs/root',
    });
    await expect(show(args)).toMatchFileSnapshot('../golden/rootfs/mmdebstrap-amd64.txt');
  });

  it('keys the cache on everything that decides the bytes, and on nothing else (order of lists)', () => {
    const base: CacheKeyInput = {
      suite: 'bookworm', debArch: 'amd64', mirror: 'http://deb.debian.org/debian', components: ['main'], packages: ['a', 'b'],
      modules: ['x'], releaseSha256: '1'.repeat(64), shippedDigest: '2'.repeat(64), compression: 'zstd', recipe: { masked: ['a'] },
    };
    const key = rootfsCacheKey(base);
    expect(rootfsCacheKey({ ...base, packages: ['b', 'a'] })).toBe(key);
    const changes: Partial<CacheKeyInput>[] = [
      { suite: 'trixie' }, { debArch: 'arm64' }, { mirror: 'http://snapshot.debian.org/archive/debian/20250520T000000Z' },
      { components: ['main', 'non-free-firmware'] }, { packages: ['a', 'b', 'c'] }, { modules: ['x', 'y'] },
      { releaseSha256: '3'.repeat(64) }, { shippedDigest: '4'.repeat(64) }, { compression: 'none' }, { recipe: { masked: ['a', 'b'] } },
    ];
    for (const change of changes) expect(rootfsCacheKey({ ...base, ...change }), JSON.stringify(change)).not.toBe(key);
  });

  it('keeps the wanted modules and everything they depend on, by name or by path', () => {
    const deps = parseModulesDep([
      'kernel/drivers/net/bonding/bonding.ko: kernel/net/tls/tls.ko',
      'kernel/net/tls/tls.ko:',
      'kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko',
      'kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko',
      'kernel/net/core/failover.ko:',
      'kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko: kernel/drivers/dca/dca.ko kernel/drivers/net/mdio.ko',
      'kernel/drivers/dca/dca.ko:',
      'kernel/drivers/net/mdio.ko:',
      'kernel/drivers/gpu/drm/drm.ko:',
      'kernel/sound/core/snd-pcm.ko:',
      '',
    ].join('\n'));
    const { keep, unmatched } = selectModules(deps, ['bonding', 'virtio-net', 'drivers/net/ethernet/intel', 'nicvf', 'snd_pcm']);
    expect([...keep].sort()).toEqual([
      'kernel/drivers/dca/dca.ko', 'kernel/drivers/net/bonding/bonding.ko', 'kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko',
      'kernel/drivers/net/mdio.ko', 'kernel/drivers/net/net_failover.ko', 'kernel/drivers/net/virtio_net.ko',
      'kernel/net/core/failover.ko', 'kernel/net/tls/tls.ko', 'kernel/sound/core/snd-pcm.ko',
    ]);
    expect(unmatched).toEqual(['nicvf']);
    expect(moduleName('kernel/fs/xfs/xfs.ko.xz')).toBe('xfs');
  });

  it('reads the mirror state from its Release Date (SOURCE_DATE_EPOCH)', () => {
    expect(parseReleaseDate(RELEASE, 'Release')).toBe(Date.UTC(2026, 6, 11, 10, 16, 37) / 1000);
    expect(() => parseReleaseDate('Origin: Debian\n', 'http://m/dists/x/InRelease')).toThrow(/http:\/\/m\/dists\/x\/InRelease has no readable Date/);
  });
});

describe('rootfs build', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('reuses a cached build of the same key without running mmdebstrap, and stores it as a RAM image', async () => {
    const dir = await tmp();
    await put(join(dir, 'mirror/dists/bookworm/Release'), RELEASE);
    const config = rootfsConfig(dir);
    const image = config.images.ram as RootfsImageConfig;
    const release = await fetchMirrorRelease(image.mirror, image.suite);
    const plan = planRootfsArch(config.server.stateDir, image, 'x86_64', release, shippedDigest(await readShipped()));
    await put(join(plan.dir, 'vmlinuz'), 'KERNEL');
    const initrd = (await execa('zstd', ['-c'], { input: gunzipSync(await fakeInitrd()), encoding: 'buffer' })).stdout;
    await put(join(plan.dir, initrdName('zstd')), Buffer.from(initrd));
    await put(join(plan.dir, 'build.json'), '{}\n');
    // no mmdebstrap, no chroot: the cache must be enough (zstd only, to check the initrd before storing it)
    await mkdir(join(dir, 'only-zstd'));
    await symlink(execaSync('sh', ['-c', 'command -v zstd']).stdout, join(dir, 'only-zstd', 'zstd'));
    process.env.PATH = join(dir, 'only-zstd');
    const lines: string[] = [];
    const { manifest } = await buildImage(config, 'ram', { log: (line) => lines.push(line) });
    expect(manifest).toMatchObject({ type: 'rootfs', installer: false });
    const variant = manifest.variants.x86_64!;
    expect(variant).toMatchObject({ compression: 'zstd', cmdline: [], kernel: { name: 'vmlinuz', sha256: sha256('KERNEL') }, initrd: { name: 'rootfs.cpio.zst', size: initrd.length } });
    expect(await readFile(assetFile(config.server.stateDir, variant.kernel.sha256), 'utf8')).toBe('KERNEL');
    expect((await readManifest(config.server.stateDir, 'ram')).type).toBe('rootfs');
    expect(lines.join('\n')).toContain(`cached build ${plan.key}`);
  });

  it('keeps the previous image when mmdebstrap fails, and says what to check', async () => {
    const dir = await tmp();
    await put(join(dir, 'mirror/dists/bookworm/Release'), RELEASE);
    const fakeBin = join(dir, 'bin');
    await mkdir(fakeBin);
    // Stands in for mmdebstrap failing the way it does on a misspelt package.
    await writeFile(join(fakeBin, 'mmdebstrap'), '#!/bin/sh\necho "E: Unable to locate package htpo" >&2\nexit 1\n');
    await chmod(join(fakeBin, 'mmdebstrap'), 0o755);
    process.env.PATH = `${fakeBin}:${savedPath}`;
    const previous = { schema: 1, name: 'ram', type: 'rootfs', installer: false, variants: {} };
    const config = rootfsConfig(dir, '    packages: [htpo]\n');
    await put(join(config.server.stateDir, 'images/ram.json'), JSON.stringify(previous));
    const build = buildImage(config, 'ram', { log: () => undefined });
    if (process.getuid?.() !== 0) {
      await expect(build).rejects.toThrow(/needs root/);
      return;
    }
    await expect(build).rejects.toThrow(/mmdebstrap failed \(exit 1\): E: Unable to locate package htpo/);
    expect(JSON.parse(await readFile(join(config.server.stateDir, 'images/ram.json'), 'utf8'))).toEqual(previous);
  });
});
