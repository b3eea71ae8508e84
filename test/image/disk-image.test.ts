/** The `disk` image type: config, manifest, plan and cache key, GPT layout and GRUB boot blocks, the stored variant. */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { DiskImageConfig } from '../../src/config/types.js';
import { isInstaller } from '../../src/image/build.js';
import { ALIGN, PARTITION_TYPES, SECTOR, bootSector, diskLayout, patchedCore, sfdiskScript } from '../../src/image/disk/layout.js';
import { DISK_DPKG_FILTERS, INSTALLER_PACKAGES, diskPackageSet } from '../../src/image/disk/packages.js';
import { installerImage, planDisk } from '../../src/image/disk/plan.js';
import type { ImageManifest } from '../../src/image/manifest.js';
import { uniqueAssets } from '../../src/image/manifest.js';
import { parseManifest } from '../../src/image/manifest-schema.js';
import { DPKG_PATH_FILTERS } from '../../src/image/rootfs/packages.js';
import { assetFile } from '../../src/image/store.js';
import { storeVariant } from '../../src/image/variant.js';
import { fakeInitrd, put, sha256, useTmp } from './helpers.js';

const FILE = '/srv/metalboot.yaml';
const disk = (extra = ''): DiskImageConfig => parseConfig(`images:\n  d:\n    type: disk\n${extra}`, FILE).images.d as DiskImageConfig;

describe('disk config', () => {
  it('takes the rootfs fields with their defaults: bookworm, deb.debian.org, main, x86_64', () => {
    expect(disk()).toMatchObject({ type: 'disk', suite: 'bookworm', mirror: 'http://deb.debian.org/debian', components: ['main'], packages: [], modules: [], arches: ['x86_64'] });
    expect(disk('    packages: [htop]\n    modules: [nicvf]\n    arch: amd64\n')).toMatchObject({ packages: ['htop'], modules: ['nicvf'], arches: ['x86_64'] });
  });

  it.each([
    ['arm64', 'arch: arm64', /\/srv\/metalboot\.yaml:4.*images\.d\.arch: a disk image is built for x86_64 only .*set it to x86_64/],
    ['both arches', 'arch: [x86_64, arm64]', /\/srv\/metalboot\.yaml:4.*images\.d\.arch: a disk image is built for x86_64 only/],
    ['a bad package name', 'packages: ["a b"]', /\/srv\/metalboot\.yaml:4.*images\.d\.packages\[0\]: expected a Debian package name/],
    ['a field of another type', 'release: bookworm', /\/srv\/metalboot\.yaml:4.*images\.d\.release: unknown field/],
  ])('refuses %s, naming file:line, the field and the fix', (_what, line, message) => {
    expect(() => disk(`    ${line}\n`)).toThrow(message);
  });

  it('is an installer: always_pxe goes off once it reports installed', () => {
    expect(isInstaller(disk())).toBe(true);
  });
});

describe('disk manifest', () => {
  const asset = (name: string, fill: string) => ({ name, sha256: fill.repeat(64), size: 5 });
  const manifest = {
    schema: 1, name: 'd', type: 'disk', installer: true,
    variants: { x86_64: { arch: 'x86_64', kernel: asset('vmlinuz', 'a'), initrd: asset('rootfs.cpio.zst', 'b'), compression: 'zstd', cmdline: [`metalboot.disk={{base_url}}/assets/${'c'.repeat(64)}/disk.raw.gz`], disk: asset('disk.raw.gz', 'c') } },
  };

  it('validates with its disk asset, and refuses a disk that is not an asset', () => {
    expect(parseManifest(JSON.stringify(manifest), 'images/d.json')).toEqual(manifest);
    const bad = (value: unknown) => JSON.stringify({ ...manifest, variants: { x86_64: { ...manifest.variants.x86_64, disk: value } } });
    expect(() => parseManifest(bad(null), 'images/d.json')).toThrow('images/d.json: manifest field variants.x86_64.disk must be the disk image (type disk): an object with name, sha256 and size');
    expect(() => parseManifest(bad({ ...asset('x', 'c'), sha256: 'z' }), 'images/d.json')).toThrow('manifest field variants.x86_64.disk.sha256 must be 64 lower-case hex digits');
  });

  it('lists the disk image among the assets push uploads (and the server serves by sha256)', () => {
    const names = uniqueAssets(manifest as unknown as ImageManifest).map((a) => a.name);
    expect(names).toEqual(['vmlinuz', 'rootfs.cpio.zst', 'disk.raw.gz']);
  });
});

describe('disk build plan', () => {
  const release = { sha256: '1'.repeat(64), epoch: 1 };
  const plan = (image: DiskImageConfig, shipped = '2'.repeat(64), assemble = '3'.repeat(64)) => planDisk('/state', image, release, shipped, assemble);

  it('installs the base set, a kernel with initramfs-tools, GRUB for BIOS and EFI, then the config\'s packages', () => {
    expect(plan(disk('    packages: [htop]\n')).packages).toEqual(expect.arrayContaining(['systemd', 'openssh-server', 'linux-image-amd64', 'initramfs-tools', 'grub-pc-bin', 'grub-efi-amd64-bin', 'e2fsprogs', 'htop']));
    expect(diskPackageSet(['jq']).filter((p) => p === 'jq')).toHaveLength(1);
    // the RAM OS drops initramfs-tools' hooks; the installed system needs them for its initramfs
    expect(DPKG_PATH_FILTERS.some((f) => f.includes('initramfs-tools'))).toBe(true);
    expect(DISK_DPKG_FILTERS.some((f) => f.includes('initramfs-tools'))).toBe(false);
  });

  it('keys the cache on packages, shipped files, the assemble script and the mirror; caches under <state>/cache/disk', () => {
    const base = plan(disk());
    expect(base.dir).toBe(`/state/cache/disk/bookworm-amd64-${base.key}`);
    expect(plan(disk()).key).toBe(base.key);
    for (const other of [plan(disk('    packages: [htop]\n')), plan(disk(), '4'.repeat(64)), plan(disk(), undefined, '5'.repeat(64)), plan(disk('    suite: trixie\n')), plan(disk('    mirror: http://example.org/debian\n'))]) {
      expect(other.key).not.toBe(base.key);
    }
    // the installer's modules are the RAM OS's, not the installed system's
    expect(plan(disk('    modules: [nicvf]\n')).key).toBe(base.key);
  });

  it('makes the installer a RAM OS with sfdisk and e2fsprogs and the config\'s modules', () => {
    const installer = installerImage(disk('    packages: [htop]\n    modules: [nicvf]\n'));
    expect(installer).toMatchObject({ type: 'rootfs', name: 'd', packages: [...INSTALLER_PACKAGES], modules: ['nicvf'], suite: 'bookworm' });
    expect(INSTALLER_PACKAGES).toEqual(['fdisk', 'e2fsprogs']);
  });
});

describe('disk layout', () => {
  it('puts a 1 MiB BIOS boot partition, the ESP and the root at 1 MiB boundaries, with room for the backup GPT', () => {
    const layout = diskLayout(32 << 20, (700 << 20) + 1);
    expect(layout.bios).toEqual({ start: 2048, sectors: 2048 });
    expect(layout.esp).toEqual({ start: 4096, sectors: 65536 });
    expect(layout.root.start).toBe(69632);
    expect(layout.root.sectors).toBe(((700 << 20) / SECTOR) + ALIGN); // one sector over → next MiB
    expect(layout.totalSectors).toBe(layout.root.start + layout.root.sectors + ALIGN);
    expect(sfdiskScript(layout)).toBe([
      'label: gpt', 'unit: sectors', 'first-lba: 2048',
      `start=2048, size=2048, type=${PARTITION_TYPES.bios}, name="bios"`,
      `start=4096, size=65536, type=${PARTITION_TYPES.esp}, name="esp"`,
      `start=69632, size=${layout.root.sectors}, type=${PARTITION_TYPES.root}, name="root"`, '',
    ].join('\n'));
  });

  it('writes boot.img\'s code over the protective MBR, pointed at core.img, keeping the partition table', () => {
    const boot = Buffer.alloc(512, 0xaa);
    const mbr = Buffer.alloc(512, 0);
    mbr.fill(0xee, 446, 462);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    const sector = bootSector(boot, mbr, 2048);
    expect(sector.readBigUInt64LE(0x5c)).toBe(2048n);
    expect([sector[0x66], sector[0x67]]).toEqual([0x90, 0x90]);
    expect(sector[0]).toBe(0xaa);
    expect(sector[439]).toBe(0xaa);
    expect(sector.subarray(440)).toEqual(mbr.subarray(440));
  });

  it('patches core.img\'s blocklist: the rest follows its first sector; refuses one that does not fit', () => {
    const core = Buffer.alloc(3 * SECTOR + 100, 0x11);
    const out = patchedCore(core, 2048, 2048);
    expect(out.length).toBe(4 * SECTOR);
    expect(out.readBigUInt64LE(SECTOR - 12)).toBe(2049n);
    expect(out.readUInt16LE(SECTOR - 4)).toBe(3);
    expect(out.readUInt16LE(SECTOR - 2)).toBe(0x1111); // the segment stays diskboot.img's
    expect(() => patchedCore(Buffer.alloc(11 * SECTOR), 2048, 10)).toThrow(/core\.img is 11 sectors/);
  });
});

describe('storing a disk variant', () => {
  const tmp = useTmp();

  it('stores the disk image as an asset, names it in the variant and hands its URL to the installer on the kernel line', async () => {
    const dir = await tmp();
    await put(join(dir, 'in/vmlinuz'), 'kernel');
    await put(join(dir, 'in/rootfs.cpio.gz'), await fakeInitrd());
    await put(join(dir, 'in/disk.raw.gz'), gzipSync(Buffer.alloc(4096, 1)));
    const image = disk();
    const variant = await storeVariant(join(dir, 'state'), image, {
      arch: 'x86_64', kernel: join(dir, 'in/vmlinuz'), initrd: join(dir, 'in/rootfs.cpio.gz'), kernelName: 'vmlinuz', initrdName: 'rootfs.cpio.gz',
      cmdline: [], disk: join(dir, 'in/disk.raw.gz'),
    });
    const diskSha = sha256(await readFile(join(dir, 'in/disk.raw.gz')));
    expect(variant.disk).toEqual({ name: 'disk.raw.gz', sha256: diskSha, size: (await stat(join(dir, 'in/disk.raw.gz'))).size });
    expect(variant.cmdline).toEqual([`metalboot.disk={{base_url}}/assets/${diskSha}/disk.raw.gz`]);
    expect(await readFile(assetFile(join(dir, 'state'), diskSha))).toEqual(await readFile(join(dir, 'in/disk.raw.gz')));
  });
});
