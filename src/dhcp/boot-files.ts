/**
 * The iPXE binaries a PXE firmware loads over TFTP, copied into dnsmasq's TFTP root (which then
 * holds nothing else): Debian 12's `ipxe` package, or Debian 13's unpacked in the host cache
 * (which also has the arm64 build). Each file is copied to a temporary name and renamed.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { MetalbootError } from '../errors.js';
import { IPXE_SNPONLY_EFI, IPXE_TRIXIE_ARM64_EFI, IPXE_TRIXIE_SNPONLY_EFI, IPXE_TRIXIE_UNDIONLY_KPXE, IPXE_UNDIONLY_KPXE } from '../host/debian-files.js';
import { isAccessible } from '../host/files.js';
import type { BootFileNames } from './types.js';

/** Where each boot file may come from, first found wins. */
export const BOOT_FILE_SOURCES = {
  bios: { name: 'undionly.kpxe', from: [IPXE_UNDIONLY_KPXE, IPXE_TRIXIE_UNDIONLY_KPXE] },
  efiX86_64: { name: 'snponly.efi', from: [IPXE_SNPONLY_EFI, IPXE_TRIXIE_SNPONLY_EFI] },
  efiArm64: { name: 'ipxe-arm64.efi', from: [IPXE_TRIXIE_ARM64_EFI] },
} as const;

type Sources = { readonly [K in keyof typeof BOOT_FILE_SOURCES]: { readonly name: string; readonly from: readonly string[] } };

async function firstPresent(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) if (await isAccessible(path)) return path;
  return undefined;
}

/** Copies the boot files into `tftpRoot`; the arm64 one only when available. */
export async function stageBootFiles(tftpRoot: string, sources: Sources = BOOT_FILE_SOURCES): Promise<BootFileNames> {
  await mkdir(tftpRoot, { recursive: true, mode: 0o755 });
  const copy = async (name: string, from: string): Promise<void> => {
    const temp = join(tftpRoot, `.${name}.tmp`);
    await copyFile(from, temp, constants.COPYFILE_FICLONE);
    await rename(temp, join(tftpRoot, name));
  };
  for (const key of ['bios', 'efiX86_64'] as const) {
    const source = sources[key];
    const from = await firstPresent(source.from);
    if (!from) {
      throw new MetalbootError(`serve --dhcp: no ${source.name} to hand to PXE firmware (looked at ${source.from.join(', ')})`, {
        code: 'E_DHCP', hint: 'install Debian\'s iPXE: apt-get install ipxe',
      });
    }
    await copy(source.name, from);
  }
  const arm64 = await firstPresent(sources.efiArm64.from);
  if (arm64) await copy(sources.efiArm64.name, arm64);
  return { bios: sources.bios.name, efiX86_64: sources.efiX86_64.name, ...(arm64 ? { efiArm64: sources.efiArm64.name } : {}) };
}
