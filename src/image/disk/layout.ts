/**
 * The disk image's layout (GPT, 512-byte sectors) and the two GRUB boot blocks patched for it.
 * Pure: golden- and unit-tested; assemble.ts writes what these return.
 *
 *   sector 0      protective MBR (sfdisk) with GRUB's boot.img code, pointed at core.img
 *   p1 bios       1 MiB BIOS boot partition: core.img (i386-pc), its blocklist patched
 *   p2 esp        FAT: EFI/BOOT/BOOTX64.EFI (x86_64-efi GRUB, finds the root by label)
 *   p3 root       ext4 labelled metalroot (/boot/grub/grub.cfg for both firmwares)
 *   last 1 MiB    room for the backup GPT (the installer moves it to the end of the real disk)
 */

export const SECTOR = 512;
/** 1 MiB alignment, in sectors. */
export const ALIGN = 2048;

export const PARTITION_TYPES = {
  bios: '21686148-6449-6E6F-744E-656564454649',
  esp: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
  root: '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
} as const;

export type PartitionName = keyof typeof PARTITION_TYPES;

export interface Extent {
  readonly start: number;
  readonly sectors: number;
}

export interface DiskLayout {
  readonly bios: Extent;
  readonly esp: Extent;
  readonly root: Extent;
  readonly totalSectors: number;
}

/** The root partition is the last one: the installer grows it to the end of the disk. */
export const ROOT_PARTITION_NUMBER = 3;

const alignUp = (sectors: number): number => Math.ceil(sectors / ALIGN) * ALIGN;

export function diskLayout(espBytes: number, rootBytes: number): DiskLayout {
  const bios = { start: ALIGN, sectors: ALIGN };
  const esp = { start: bios.start + bios.sectors, sectors: alignUp(Math.ceil(espBytes / SECTOR)) };
  const root = { start: esp.start + esp.sectors, sectors: alignUp(Math.ceil(rootBytes / SECTOR)) };
  return { bios, esp, root, totalSectors: root.start + root.sectors + ALIGN };
}

/** sfdisk's input for the layout (sfdisk works on a plain file). */
export function sfdiskScript(layout: DiskLayout): string {
  const line = (name: PartitionName, extent: Extent): string =>
    `start=${extent.start}, size=${extent.sectors}, type=${PARTITION_TYPES[name]}, name="${name}"`;
  return ['label: gpt', 'unit: sectors', `first-lba: ${ALIGN}`, line('bios', layout.bios), line('esp', layout.esp), line('root', layout.root), ''].join('\n');
}

/** boot.img's offsets (grub-core/boot/i386/pc/boot.S). */
const KERNEL_SECTOR_OFFSET = 0x5c;
const BOOT_DRIVE_CHECK_OFFSET = 0x66;
/** Bytes of boot code before the disk signature and the partition table, which stay sfdisk's. */
const BOOT_CODE_BYTES = 440;

/**
 * Sector 0: boot.img's code (told where core.img starts, and to trust the BIOS's drive number, as
 * grub-bios-setup does for a hard disk) over the protective MBR's first 440 bytes; the rest of the
 * protective MBR (signature, partition table, 55 AA) as sfdisk wrote it.
 */
export function bootSector(bootImg: Buffer, protectiveMbr: Buffer, coreSector: number): Buffer {
  if (bootImg.length < SECTOR || protectiveMbr.length < SECTOR) throw new Error('boot.img and the MBR must be 512 bytes');
  const out = Buffer.from(protectiveMbr.subarray(0, SECTOR));
  bootImg.copy(out, 0, 0, BOOT_CODE_BYTES);
  out.writeBigUInt64LE(BigInt(coreSector), KERNEL_SECTOR_OFFSET);
  out[BOOT_DRIVE_CHECK_OFFSET] = 0x90;
  out[BOOT_DRIVE_CHECK_OFFSET + 1] = 0x90;
  return out;
}

/** diskboot.img's blocklist: the last 12 bytes of core.img's first sector (start: u64, length: u16, segment: u16). */
const BLOCKLIST_OFFSET = SECTOR - 12;

/**
 * core.img padded to whole sectors, its blocklist saying: the rest of core.img follows its first
 * sector contiguously (what grub-bios-setup writes for an embedding in a BIOS boot partition).
 */
export function patchedCore(core: Buffer, coreSector: number, maxSectors: number): Buffer {
  const sectors = Math.ceil(core.length / SECTOR);
  if (sectors < 2 || sectors > maxSectors) throw new Error(`core.img is ${sectors} sectors: it must be 2–${maxSectors} (the BIOS boot partition)`);
  const out = Buffer.alloc(sectors * SECTOR);
  core.copy(out);
  out.writeBigUInt64LE(BigInt(coreSector + 1), BLOCKLIST_OFFSET);
  out.writeUInt16LE(sectors - 1, BLOCKLIST_OFFSET + 8);
  return out;
}
