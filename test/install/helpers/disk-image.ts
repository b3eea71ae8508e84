/**
 * The installed system's disk for the image-based install e2e: a raw MBR disk (one ext4 partition
 * labelled metalroot, GRUB on ttyS1) holding Debian 12 with systemd-networkd and the same metalboot
 * units as the RAM image (rootfs/: apply the device data → bond0, report "booted"). Built from
 * Debian packages with mmdebstrap (network: deb.debian.org) + test/fixtures/disk-install/assemble.sh,
 * gzip-compressed, once per recipe into the test cache outside the clone; later runs reuse it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../../../src/paths.js';
import { SHIPPED_DIR, readShipped } from '../../../src/image/rootfs/shipped.js';

export const ASSEMBLE = join(PACKAGE_ROOT, 'test/fixtures/disk-install/assemble.sh');
/** The installed system's packages: the RAM image's base set, a kernel with its initramfs, GRUB. */
export const DISK_PACKAGES = [
  'systemd', 'systemd-sysv', 'systemd-resolved', 'udev', 'kmod', 'openssh-server', 'curl', 'ca-certificates', 'jq', 'iproute2',
  'linux-image-amd64', 'initramfs-tools', 'grub-pc', 'e2fsprogs',
];

/** The recipe's key: the assembly script, the packages and the shipped metalboot files (a change to any rebuilds). */
export async function diskRecipe(): Promise<string> {
  const hash = createHash('sha256').update(await readFile(ASSEMBLE)).update(DISK_PACKAGES.join(','));
  for (const entry of await readShipped()) hash.update(JSON.stringify(entry));
  return hash.digest('hex').slice(0, 16);
}

export async function diskImage(cacheDir: string, log: (line: string) => void = console.log): Promise<string> {
  const dir = join(cacheDir, `disk-install-${await diskRecipe()}`);
  const out = join(dir, 'disk.raw.gz');
  if (existsSync(out)) return out;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const root = join(dir, 'root');
  const started = Date.now();
  log(`[install e2e] building the installed system's disk image in ${dir} (mmdebstrap, network)`);
  await execa('mmdebstrap', [
    '--mode=root', '--format=directory', '--variant=essential', '--architectures=amd64', '--components=main',
    '--aptopt=APT::Install-Recommends "false"', '--aptopt=Acquire::Languages "none"',
    '--dpkgopt=path-exclude=/usr/share/man/*', '--dpkgopt=path-exclude=/usr/share/locale/*', '--dpkgopt=path-exclude=/usr/share/doc/*',
    '--hook-dir=/usr/share/mmdebstrap/hooks/maybe-merged-usr', `--include=${DISK_PACKAGES.join(',')}`,
    'bookworm', root, 'http://deb.debian.org/debian',
  ], { stdout: { file: join(dir, 'build.log') }, stderr: { file: join(dir, 'build.err') } });
  await execa('bash', [ASSEMBLE, root, join(dir, 'disk.raw'), SHIPPED_DIR], { stdout: { file: join(dir, 'assemble.log') }, stderr: 'pipe' });
  await rm(root, { recursive: true, force: true });
  await execa('sh', ['-c', 'gzip -1 -c "$1" > "$2.tmp" && rm "$1"', 'sh', join(dir, 'disk.raw'), out]);
  await rename(`${out}.tmp`, out);
  log(`[install e2e] disk image built in ${Math.round((Date.now() - started) / 1000)} s`);
  return out;
}
