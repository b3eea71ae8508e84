/**
 * A small fabricated Debian suite ("bookworm", amd64): pool files of arbitrary bytes, Packages
 * indexes (xz + gz) for main binary and debian-installer, a Release with their sha256, InRelease
 * and Release.gpg signed by a test key. Package names follow the real archive so that the mirror's
 * selection rules (priorities, kernel ABI, the preseed's packages) apply as they would upstream.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import type { TestKey } from './test-key.js';

export const ABI = '6.1.0-50-amd64';
export const OLD_ABI = '6.1.0-47-amd64';

export interface FakePackage {
  readonly name: string;
  readonly priority?: string;
  readonly depends?: string;
  readonly provides?: string;
  readonly kernelVersion?: string;
  readonly udeb?: boolean;
}

/** debs: the base system by priority, kernel, GRUB (both flavours), the preseed's packages, and some that must stay out. */
export const DEBS: readonly FakePackage[] = [
  { name: 'base-files', priority: 'required' },
  { name: 'libc6', priority: 'required' },
  { name: 'apt', priority: 'important', depends: 'libc6' },
  { name: 'less', priority: 'standard' },
  { name: 'linux-image-amd64', depends: `linux-image-${ABI}` },
  { name: `linux-image-${ABI}`, depends: 'initramfs-tools | linux-initramfs-tool' },
  { name: 'initramfs-tools', depends: 'busybox' },
  { name: 'busybox' },
  { name: 'grub-pc', depends: 'grub-common' },
  { name: 'grub-efi-amd64', depends: 'grub-common' },
  { name: 'grub-common', depends: 'libc6' },
  { name: 'openssh-server', depends: 'libc6', provides: 'ssh-server' },
  { name: 'task-ssh-server', depends: 'tasksel, openssh-server' },
  { name: 'tasksel' },
  { name: 'jq' },
  { name: 'curl', depends: 'libcurl4' },
  { name: 'libcurl4', depends: 'libc6' },
  { name: 'libstdc++6', depends: 'libc6' },
  { name: 'qemu-guest-agent' },
  { name: 'unrelated-tool', priority: 'optional' },
];

export const UDEBS: readonly FakePackage[] = [
  { name: 'anna', priority: 'standard', udeb: true },
  { name: 'partman-ext3', priority: 'standard', depends: 'e2fsprogs-udeb, ext4-modules', udeb: true },
  { name: 'e2fsprogs-udeb', priority: 'optional', udeb: true },
  { name: 'fancy-udeb', priority: 'optional', udeb: true },
  { name: `ext4-modules-${ABI}-di`, priority: 'standard', provides: 'ext4-modules', kernelVersion: ABI, udeb: true },
  { name: `nic-modules-${ABI}-di`, priority: 'optional', provides: 'nic-modules', kernelVersion: ABI, udeb: true },
  { name: `ext4-modules-${OLD_ABI}-di`, priority: 'standard', provides: 'ext4-modules', kernelVersion: OLD_ABI, udeb: true },
];

export interface FakeArchive {
  readonly root: string;
  /** Pool path → content. */
  readonly pool: ReadonlyMap<string, Buffer>;
  readonly inRelease: Buffer;
  poolPath(name: string): string;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const xz = async (input: Buffer | string): Promise<Buffer> => Buffer.from((await execa('xz', ['-c'], { input, encoding: 'buffer' })).stdout);

function poolPathOf(pkg: FakePackage): string {
  const prefix = pkg.name.startsWith('lib') ? pkg.name.slice(0, 4) : pkg.name[0]!;
  return `pool/main/${prefix}/${pkg.name}/${pkg.name}_1.0-1_amd64.${pkg.udeb ? 'udeb' : 'deb'}`;
}

function stanza(pkg: FakePackage, content: Buffer): string {
  return [
    `Package: ${pkg.name}`, 'Version: 1.0-1', 'Architecture: amd64', `Priority: ${pkg.priority ?? 'optional'}`,
    ...(pkg.depends ? [`Depends: ${pkg.depends}`] : []), ...(pkg.provides ? [`Provides: ${pkg.provides}`] : []),
    ...(pkg.kernelVersion ? [`Kernel-Version: ${pkg.kernelVersion}`] : []),
    `Filename: ${poolPathOf(pkg)}`, `Size: ${content.length}`, `SHA256: ${sha256(content)}`, `Description: fake ${pkg.name}`, '',
  ].join('\n');
}

async function put(path: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

export async function createFakeArchive(root: string, key: TestKey): Promise<FakeArchive> {
  const pool = new Map<string, Buffer>();
  const indexes = new Map<string, Buffer>();
  // As in Debian's Release: uncompressed indexes are listed (apt looks them up by that name) but not stored.
  const listedOnly = new Map<string, Buffer>();
  for (const [flavour, list] of [['binary-amd64', DEBS], ['debian-installer/binary-amd64', UDEBS]] as const) {
    let text = '';
    for (const pkg of list) {
      const content = Buffer.from(`${pkg.name} payload ${'x'.repeat(pkg.name.length * 37)}\n`);
      pool.set(poolPathOf(pkg), content);
      text += `${stanza(pkg, content)}\n`;
    }
    const plain = Buffer.from(text);
    listedOnly.set(`main/${flavour}/Packages`, plain);
    indexes.set(`main/${flavour}/Packages.gz`, gzipSync(plain));
    indexes.set(`main/${flavour}/Packages.xz`, await xz(plain));
    indexes.set(`main/${flavour}/Release`, Buffer.from('Archive: bookworm\nComponent: main\nArchitecture: amd64\n'));
  }
  indexes.set('main/i18n/Translation-en.xz', await xz('Package: less\nDescription-en: fake\n'));
  const sums = [...indexes, ...listedOnly].sort(([a], [b]) => a.localeCompare(b)).map(([path, data]) => ` ${sha256(data)} ${String(data.length).padStart(8)} ${path}`);
  const release = [
    'Origin: Debian', 'Label: Debian', 'Suite: oldstable', 'Codename: bookworm', `Date: ${new Date().toUTCString()}`,
    'Acquire-By-Hash: yes', 'Architectures: amd64', 'Components: main', 'Description: fake bookworm', 'SHA256:', ...sums, '',
  ].join('\n');
  const inRelease = await key.clearsign(release);
  const dists = join(root, 'dists', 'bookworm');
  await put(join(dists, 'InRelease'), inRelease);
  await put(join(dists, 'Release'), release);
  await put(join(dists, 'Release.gpg'), await key.detachSign(release));
  for (const [path, data] of indexes) await put(join(dists, path), data);
  for (const [path, data] of pool) await put(join(root, path), data);
  return { root, pool, inRelease, poolPath: (name) => poolPathOf([...DEBS, ...UDEBS].find((pkg) => pkg.name === name)!) };
}
