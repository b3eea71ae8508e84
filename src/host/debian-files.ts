/**
 * Files that Debian packages install and metalboot uses by path: where QEMU, its iPXE ROMs, OVMF,
 * AAVMF and the Debian installer's netboot kernels live on Debian 12, and where Debian 13's iPXE
 * is unpacked (it is not installed: see `unpackInto` in packages.ts). The package list
 * (packages.ts) names them as the proof that a package is there; the VM code starts QEMU with them.
 */

export const QEMU_X86 = '/usr/bin/qemu-system-x86_64';
export const QEMU_AARCH64 = '/usr/bin/qemu-system-aarch64';

/** Debian 12's `ipxe` package: iPXE binaries a PXE firmware loads over TFTP (serve --dhcp). */
export const IPXE_DIR = '/usr/lib/ipxe';
/** iPXE for BIOS PXE through the NIC's UNDI. */
export const IPXE_UNDIONLY_KPXE = `${IPXE_DIR}/undionly.kpxe`;
/** iPXE for x86-64 UEFI through the firmware's SNP. */
export const IPXE_SNPONLY_EFI = `${IPXE_DIR}/snponly.efi`;

/** Where ipxe-qemu puts the NIC option ROMs QEMU loads for virtio-net-pci. */
export const IPXE_ROM_DIR = '/usr/lib/ipxe/qemu';
export const IPXE_ROM_BIOS = `${IPXE_ROM_DIR}/pxe-virtio.rom`;
export const IPXE_ROM_EFI = `${IPXE_ROM_DIR}/efi-virtio.rom`;

export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
/** The template of OVMF's variable store; every UEFI VM gets its own writable copy. */
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
export const SEABIOS = '/usr/share/seabios/bios-256k.bin';

/** AAVMF (qemu-efi-aarch64): UEFI for the arm64 `virt` machine, code and the template of its vars store. */
export const AAVMF_CODE = '/usr/share/AAVMF/AAVMF_CODE.fd';
export const AAVMF_VARS = '/usr/share/AAVMF/AAVMF_VARS.fd';

/** Where debian-installer-12-netboot-<arch> put the installer's images (a netboot_dir for a debian image). */
export const NETBOOT_DIR = '/usr/lib/debian-installer/images/12';
export const NETBOOT_AMD64_DIR = `${NETBOOT_DIR}/amd64/text/debian-installer/amd64`;
export const NETBOOT_KERNEL = `${NETBOOT_AMD64_DIR}/linux`;
export const NETBOOT_INITRD = `${NETBOOT_AMD64_DIR}/initrd.gz`;
export const NETBOOT_ARM64_DIR = `${NETBOOT_DIR}/arm64/text/debian-installer/arm64`;
export const NETBOOT_ARM64_KERNEL = `${NETBOOT_ARM64_DIR}/linux`;
export const NETBOOT_ARM64_INITRD = `${NETBOOT_ARM64_DIR}/initrd.gz`;

/** Debian's archive keys (debian-archive-keyring; Debian 12's holds Debian 13's keys too). */
export const DEBIAN_ARCHIVE_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** Host-wide cache of metalboot's own, outside any clone or state directory. */
export const HOST_CACHE_DIR = '/var/cache/metalboot';

/**
 * Debian 13's `ipxe` package (1.21.1+git20250501, architecture `all`) unpacked here: Debian 12's
 * has no arm64 build. Its binaries, for VMs (arm64) and for own-L2 boots over TFTP (x86-64 UEFI).
 */
export const IPXE_TRIXIE_ROOT = `${HOST_CACHE_DIR}/ipxe-trixie`;
export const IPXE_TRIXIE_DIR = `${IPXE_TRIXIE_ROOT}/usr/lib/ipxe`;
/** iPXE for arm64 UEFI, run as an EFI application (`-kernel` of an arm64 VM, or a TFTP boot file). */
export const IPXE_TRIXIE_ARM64_EFI = `${IPXE_TRIXIE_DIR}/ipxe-arm64.efi`;
/** iPXE for x86-64 UEFI with its own NIC drivers (the package's `ipxe.efi` is a link to it). */
export const IPXE_TRIXIE_X86_64_EFI = `${IPXE_TRIXIE_DIR}/ipxe-amd64.efi`;
/** iPXE for x86-64 UEFI that drives the NIC through the firmware's SNP (any NIC the firmware knows). */
export const IPXE_TRIXIE_SNPONLY_EFI = `${IPXE_TRIXIE_DIR}/snponly.efi`;
/** iPXE for BIOS PXE through the NIC's UNDI. */
export const IPXE_TRIXIE_UNDIONLY_KPXE = `${IPXE_TRIXIE_DIR}/undionly.kpxe`;
