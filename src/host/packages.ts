/**
 * THE list of Debian packages metalboot and its tests need, grouped by purpose, each with the files
 * that prove it is installed. The VM host check, the demo, the vitest global setup
 * (test/setup/host-packages.ts) and .ci/run (src/host/install.ts) all read it: add a package here,
 * never only in one of them. Pure data.
 */
import {
  AAVMF_CODE, AAVMF_VARS, DEBIAN_ARCHIVE_KEYRING, IPXE_ROM_BIOS, IPXE_ROM_EFI, IPXE_SNPONLY_EFI, IPXE_UNDIONLY_KPXE, IPXE_TRIXIE_ARM64_EFI, IPXE_TRIXIE_ROOT, IPXE_TRIXIE_SNPONLY_EFI,
  IPXE_TRIXIE_UNDIONLY_KPXE, IPXE_TRIXIE_X86_64_EFI, NETBOOT_ARM64_INITRD, NETBOOT_ARM64_KERNEL, NETBOOT_INITRD, NETBOOT_KERNEL,
  OVMF_CODE, OVMF_VARS, QEMU_AARCH64, QEMU_X86, SEABIOS,
} from './debian-files.js';

/** Who installs a group: the test suite (global setup), the demo; CI installs every group. */
export type Consumer = 'tests' | 'demo' | 'ci';

export interface DebianPackage {
  readonly name: string;
  /**
   * A suite to take it from instead of the machine's default release (e.g. `trixie`). Installed as
   * `name/suite` (that suite must then be in the machine's apt sources), or, with `unpackInto`,
   * fetched from it through a private apt configuration.
   */
  readonly suite?: string;
  /** Absolute paths of files it installs; all present means installed. */
  readonly proves: readonly string[];
  /**
   * Not installed but unpacked here (`dpkg-deb -x`), after `apt-get download name/suite` with a
   * private apt configuration (its own sources list for `suite`, lists and cache; see unpack.ts):
   * the host's dpkg state, apt sources and other packages stay as they are. Needs `suite`; the
   * files it `proves` are under this directory.
   */
  readonly unpackInto?: string;
  /**
   * Installed when the run is root; on a non-root host a missing one does not stop the test run:
   * the tests that need it skip with a message saying how to get it (the dashboard's browser).
   */
  readonly optional?: boolean;
}

export interface PackageGroup {
  readonly purpose: string;
  readonly neededBy: readonly Exclude<Consumer, 'ci'>[];
  readonly packages: readonly DebianPackage[];
}

const bin = (name: string): string => `/usr/bin/${name}`;

/** What an image build for the other architecture needs (the rootfs builder names them in its error). */
export const FOREIGN_ARCH_BUILD_PACKAGES: readonly DebianPackage[] = [
  { name: 'qemu-user-static', proves: [bin('qemu-aarch64-static')] },
  { name: 'binfmt-support', proves: ['/usr/sbin/update-binfmts'] },
  { name: 'arch-test', proves: [bin('arch-test')] },
];

export const PACKAGE_GROUPS: readonly PackageGroup[] = [
  {
    purpose: 'x86 VMs (QEMU under TCG) and their disks',
    neededBy: ['tests', 'demo'],
    packages: [
      { name: 'qemu-system-x86', proves: [QEMU_X86] },
      { name: 'qemu-utils', proves: [bin('qemu-img')] },
    ],
  },
  {
    purpose: 'firmware: SeaBIOS, OVMF and the NICs\' iPXE ROMs',
    neededBy: ['tests', 'demo'],
    packages: [
      { name: 'seabios', proves: [SEABIOS] },
      { name: 'ovmf', proves: [OVMF_CODE, OVMF_VARS] },
      { name: 'ipxe-qemu', proves: [IPXE_ROM_BIOS, IPXE_ROM_EFI] },
    ],
  },
  {
    purpose: 'apt and the Debian archive keys: metalboot mirror resolves with apt; packages of another suite are fetched with them (unpack.ts)',
    neededBy: ['tests'],
    packages: [
      { name: 'apt', proves: [bin('apt-get')] },
      { name: 'debian-archive-keyring', proves: [DEBIAN_ARCHIVE_KEYRING] },
    ],
  },
  {
    purpose: 'arm64 VMs: QEMU for aarch64, AAVMF (UEFI for the virt machine), the Debian installer for arm64',
    neededBy: ['tests'],
    packages: [
      { name: 'qemu-system-arm', proves: [QEMU_AARCH64] },
      { name: 'qemu-efi-aarch64', proves: [AAVMF_CODE, AAVMF_VARS] },
      { name: 'debian-installer-12-netboot-arm64', proves: [NETBOOT_ARM64_KERNEL, NETBOOT_ARM64_INITRD] },
    ],
  },
  {
    purpose: 'Debian 13\'s iPXE binaries (arm64 UEFI; x86-64 UEFI and BIOS for own-L2 boots), unpacked into a cache: Debian 12 has no arm64 iPXE',
    neededBy: ['tests'],
    packages: [
      {
        name: 'ipxe', suite: 'trixie', unpackInto: IPXE_TRIXIE_ROOT,
        proves: [IPXE_TRIXIE_ARM64_EFI, IPXE_TRIXIE_X86_64_EFI, IPXE_TRIXIE_SNPONLY_EFI, IPXE_TRIXIE_UNDIONLY_KPXE],
      },
    ],
  },
  {
    purpose: 'network boot on your own L2 (serve --dhcp): iPXE for PXE firmware over TFTP (BIOS undionly.kpxe, UEFI snponly.efi); dnsmasq: below',
    neededBy: ['tests'],
    packages: [{ name: 'ipxe', proves: [IPXE_UNDIONLY_KPXE, IPXE_SNPONLY_EFI] }],
  },
  {
    purpose: 'a real Debian installer kernel and initrd to netboot',
    neededBy: ['tests', 'demo'],
    packages: [{ name: 'debian-installer-12-netboot-amd64', proves: [NETBOOT_KERNEL, NETBOOT_INITRD] }],
  },
  {
    purpose: 'private network namespaces (unshare -n, ip link)',
    neededBy: ['tests', 'demo'],
    packages: [
      { name: 'util-linux', proves: [bin('unshare')] },
      { name: 'iproute2', proves: ['/usr/sbin/ip'] },
    ],
  },
  {
    purpose: 'initrd and preseed validators',
    neededBy: ['tests'],
    packages: [
      { name: 'cpio', proves: [bin('cpio')] },
      { name: 'initramfs-tools-core', proves: [bin('unmkinitramfs'), bin('lsinitramfs')] },
      { name: 'debconf', proves: [bin('debconf-set-selections')] },
    ],
  },
  {
    purpose: 'initrd compressions (zstd: the demo builds the RAM image, zstd-compressed)',
    neededBy: ['tests', 'demo'],
    packages: [
      { name: 'zstd', proves: [bin('zstd')] },
      { name: 'lz4', proves: [bin('lz4')] },
      { name: 'xz-utils', proves: [bin('xz')] },
      { name: 'bzip2', proves: [bin('bzip2')] },
    ],
  },
  {
    purpose: 'RAM OS images (type: rootfs): mmdebstrap builds them (the demo\'s default image too), their boot scripts use jq; the e2e boots\' DHCP and serve --dhcp (dnsmasq) and LACP switch (python3, which the native SQLite addon build needs too)',
    neededBy: ['tests', 'demo'],
    packages: [
      { name: 'mmdebstrap', proves: [bin('mmdebstrap')] },
      { name: 'jq', proves: [bin('jq')] },
      { name: 'dnsmasq-base', proves: ['/usr/sbin/dnsmasq'] },
      { name: 'python3', proves: [bin('python3')] },
    ],
  },
  {
    purpose: 'disk images (type: disk): sfdisk writes the GPT, mkfs.vfat and mtools the ESP without a loop device or mount (mkfs.ext4 -d the root)',
    neededBy: ['tests', 'demo'],
    packages: [
      { name: 'fdisk', proves: ['/usr/sbin/sfdisk'] },
      { name: 'dosfstools', proves: ['/usr/sbin/mkfs.vfat'] },
      { name: 'mtools', proves: [bin('mcopy'), bin('mmd')] },
      { name: 'e2fsprogs', proves: ['/usr/sbin/mkfs.ext4'] },
    ],
  },
  {
    purpose: 'the dashboard\'s browser tests: headless Chromium driven by playwright-core (no browser download from npm)',
    neededBy: ['tests'],
    packages: [{ name: 'chromium', proves: [bin('chromium')], optional: true }],
  },
  {
    purpose: 'building rootfs images for the other architecture (maintainer scripts under qemu-user; mmdebstrap checks with arch-test)',
    neededBy: [],
    packages: FOREIGN_ARCH_BUILD_PACKAGES,
  },
  {
    purpose: 'partial Debian mirrors (metalboot mirror): gpgv verifies (apt, the keyring: above); gpg signs the tests\' fake upstream',
    neededBy: ['tests'],
    packages: [
      { name: 'gpgv', proves: [bin('gpgv')] },
      { name: 'gpg', proves: [bin('gpg')] },
    ],
  },
  {
    purpose: 'independent Redfish clients for the cross-check (DMTF redfishtool, OpenStack sushy); test certificates',
    neededBy: ['tests'],
    packages: [
      { name: 'redfishtool', proves: [bin('redfishtool')] },
      { name: 'python3-sushy', proves: ['/usr/lib/python3/dist-packages/sushy/__init__.py'] },
      { name: 'openssl', proves: [bin('openssl')] },
    ],
  },
  {
    purpose: 'benchmark references (bench/), not the test suite',
    neededBy: [],
    packages: [
      { name: 'nginx-light', proves: ['/usr/sbin/nginx'] },
      { name: 'wrk', proves: [bin('wrk')] },
    ],
  },
  {
    purpose: 'SOS console (ssh), event database inspection (sqlite3), the native SQLite addon build',
    neededBy: [],
    packages: [
      { name: 'openssh-client', proves: [bin('ssh')] },
      { name: 'sqlite3', proves: [bin('sqlite3')] },
      { name: 'make', proves: [bin('make')] },
      { name: 'g++', proves: [bin('g++')] },
    ],
  },
];

/** The packages one consumer needs, in list order (CI: all of them). */
export function packagesFor(consumer: Consumer): DebianPackage[] {
  return PACKAGE_GROUPS.filter((group) => consumer === 'ci' || group.neededBy.includes(consumer)).flatMap((group) => group.packages);
}

/** The package whose files include `file`, or undefined when no listed package installs it. */
export function packageProviding(file: string): DebianPackage | undefined {
  return PACKAGE_GROUPS.flatMap((group) => group.packages).find((pkg) => pkg.proves.includes(file));
}

/** How apt-get names it: `name`, or `name/suite` for a package from another suite. */
export function aptName(pkg: DebianPackage): string {
  return pkg.suite === undefined ? pkg.name : `${pkg.name}/${pkg.suite}`;
}
