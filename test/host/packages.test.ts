import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aptLine } from '../../src/host/apt.js';
import { ensurePackages } from '../../src/host/ensure.js';
import { missingPackages } from '../../src/host/files.js';
import type { DebianPackage } from '../../src/host/packages.js';
import { PACKAGE_GROUPS, aptName, packageProviding, packagesFor } from '../../src/host/packages.js';
import { hostRequirements } from '../../src/vm/host-check.js';

const names = (packages: readonly DebianPackage[]): string[] => packages.map((pkg) => pkg.name);

describe('the one list of Debian packages', () => {
  it('lists each package (name/suite) once, proved by absolute paths, an unpacked one by files under its directory', () => {
    const all = PACKAGE_GROUPS.flatMap((group) => group.packages);
    expect(new Set(all.map(aptName)).size).toBe(all.length);
    for (const pkg of all) {
      expect(pkg.proves.length).toBeGreaterThan(0);
      for (const file of pkg.proves) expect(file).toMatch(pkg.unpackInto ? new RegExp(`^${pkg.unpackInto}/`) : /^\//);
      if (pkg.unpackInto) expect(pkg.suite).toBeDefined();
    }
  });

  it('gives the tests the validators a fresh machine lacked (cpio, unmkinitramfs) and everything the demo needs', () => {
    const tests = names(packagesFor('tests'));
    expect(tests).toEqual(expect.arrayContaining(['cpio', 'initramfs-tools-core', 'debconf', 'zstd', 'lz4', 'xz-utils', 'bzip2']));
    expect(tests).toEqual(expect.arrayContaining(names(packagesFor('demo'))));
    expect(names(packagesFor('demo'))).toEqual(expect.arrayContaining(['qemu-system-x86', 'ipxe-qemu', 'ovmf', 'debian-installer-12-netboot-amd64']));
    expect(tests).not.toContain('wrk');
    expect(names(packagesFor('ci'))).toEqual(names(PACKAGE_GROUPS.flatMap((group) => group.packages)));
  });

  it('names a listed package for every file the VM host check needs', () => {
    for (const options of [{ firmware: 'bios' as const, disk: true }, { firmware: 'uefi' as const, disk: true }, { arch: 'arm64' as const, firmware: 'uefi' as const, disk: true }]) {
      for (const req of hostRequirements(options)) expect(packagesFor('ci')).toContain(req.debianPackage);
    }
    expect(hostRequirements({ firmware: 'uefi' }).map((req) => req.debianPackage.name)).toEqual(['qemu-system-x86', 'util-linux', 'iproute2', 'ipxe-qemu', 'ovmf', 'ovmf']);
    expect(hostRequirements({ arch: 'arm64', firmware: 'uefi' }).map((req) => aptName(req.debianPackage))).toEqual(['qemu-system-arm', 'util-linux', 'iproute2', 'qemu-efi-aarch64', 'qemu-efi-aarch64', 'ipxe/trixie']);
    expect(packageProviding('/usr/bin/unmkinitramfs')?.name).toBe('initramfs-tools-core');
  });

  it('prints the exact apt-get line, waiting for the dpkg lock, with a package from another suite as name/suite', () => {
    const ovmf = { name: 'ovmf', proves: ['/x'] };
    expect(aptLine([ovmf, { name: 'qemu-system-x86', proves: ['/y'] }])).toBe('apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends ovmf qemu-system-x86');
    expect(aptLine([{ name: 'ipxe', suite: 'trixie', proves: ['/usr/lib/ipxe/ipxe.efi'] }])).toBe('apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends ipxe/trixie');
  });
});

describe('ensurePackages', () => {
  let dir: string;
  let present: DebianPackage;
  let absent: DebianPackage;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-host-'));
    await writeFile(join(dir, 'here'), '');
    present = { name: 'present-pkg', proves: [join(dir, 'here')] };
    absent = { name: 'absent-pkg', proves: [join(dir, 'here'), join(dir, 'not-yet')] };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a package missing when any one of its files is', async () => {
    expect(names(await missingPackages([present, absent]))).toEqual(['absent-pkg']);
  });

  it('stops a non-root user with the exact apt-get line for what is missing', async () => {
    await expect(ensurePackages([present, absent], { root: false })).rejects.toMatchObject({
      code: 'E_HOST_PACKAGES',
      message: 'these Debian packages are not installed: absent-pkg',
      hint: 'install them as root: apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends absent-pkg',
    });
  });

  it('as root installs only what is missing, and checks the files are there afterwards', async () => {
    const asked: string[][] = [];
    const lines: string[] = [];
    const installed = await ensurePackages([present, absent], {
      root: true,
      log: (line) => lines.push(line),
      install: async (packages) => {
        asked.push(names(packages));
        await writeFile(join(dir, 'not-yet'), '');
      },
    });
    expect([asked, names(installed), lines]).toEqual([[['absent-pkg']], ['absent-pkg'], ['installing Debian packages: absent-pkg']]);
    expect(await ensurePackages([present, absent], { root: false })).toEqual([]);
  });

  it('fails when an install leaves a listed file missing (the list is wrong for this release)', async () => {
    const wrong = { name: 'wrong-pkg', proves: [join(dir, 'never')] };
    await expect(ensurePackages([wrong], { root: true, install: async () => {} })).rejects.toThrow(
      `wrong-pkg installed or unpacked, but some of their files are still missing: ${join(dir, 'never')} (wrong-pkg)`,
    );
  });
});
