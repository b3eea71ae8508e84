/**
 * Files that Debian packages install and metalboot uses by path: where QEMU, its iPXE ROMs, OVMF
 * and the Debian installer's netboot kernel live on Debian 12. The package list (packages.ts)
 * names them as the proof that a package is installed; the VM code starts QEMU with them.
 */

export const QEMU_X86 = '/usr/bin/qemu-system-x86_64';

/** Where ipxe-qemu puts the NIC option ROMs QEMU loads for virtio-net-pci. */
export const IPXE_ROM_DIR = '/usr/lib/ipxe/qemu';
export const IPXE_ROM_BIOS = `${IPXE_ROM_DIR}/pxe-virtio.rom`;
export const IPXE_ROM_EFI = `${IPXE_ROM_DIR}/efi-virtio.rom`;

export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
/** The template of OVMF's variable store; every UEFI VM gets its own writable copy. */
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
export const SEABIOS = '/usr/share/seabios/bios-256k.bin';

/** Where debian-installer-12-netboot-amd64 puts the installer's images (a netboot_dir for a debian image). */
export const NETBOOT_DIR = '/usr/lib/debian-installer/images/12';
export const NETBOOT_AMD64_DIR = `${NETBOOT_DIR}/amd64/text/debian-installer/amd64`;
export const NETBOOT_KERNEL = `${NETBOOT_AMD64_DIR}/linux`;
export const NETBOOT_INITRD = `${NETBOOT_AMD64_DIR}/initrd.gz`;
