/**
 * Checks that this host can run a network-booting VM, and names the Debian package that fixes
 * whatever is missing (qemu-system-x86, ipxe-qemu, ovmf, iproute2, util-linux, qemu-utils).
 */
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { MetalbootError } from '../../errors.js';
import { DEFAULT_OVMF_CODE, QEMU_BINARY } from './qemu-args.js';

export const DEFAULT_OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
/** Where Debian's ipxe-qemu puts the NIC option ROMs QEMU loads for virtio-net-pci. */
export const IPXE_ROM_DIR = '/usr/lib/ipxe/qemu';

export interface HostRequirement {
  readonly what: string;
  readonly debianPackage: string;
  /** An absolute file, or a bare program name looked up on PATH. */
  readonly file: string;
}

export function hostRequirements(options: { firmware: 'bios' | 'uefi'; ovmfCode?: string; disk?: boolean }): HostRequirement[] {
  const reqs: HostRequirement[] = [
    { what: 'QEMU', debianPackage: 'qemu-system-x86', file: QEMU_BINARY },
    { what: 'unshare (private network namespace)', debianPackage: 'util-linux', file: 'unshare' },
    { what: 'ip (loopback in the namespace)', debianPackage: 'iproute2', file: 'ip' },
  ];
  if (options.firmware === 'bios') {
    reqs.push({ what: "QEMU's iPXE ROM for virtio-net (BIOS)", debianPackage: 'ipxe-qemu', file: join(IPXE_ROM_DIR, 'pxe-virtio.rom') });
  } else {
    reqs.push(
      { what: "QEMU's iPXE ROM for virtio-net (UEFI)", debianPackage: 'ipxe-qemu', file: join(IPXE_ROM_DIR, 'efi-virtio.rom') },
      { what: 'OVMF UEFI firmware', debianPackage: 'ovmf', file: options.ovmfCode ?? DEFAULT_OVMF_CODE },
      { what: 'OVMF UEFI variable store template', debianPackage: 'ovmf', file: DEFAULT_OVMF_VARS },
    );
  }
  if (options.disk) reqs.push({ what: 'qemu-img (VM disks)', debianPackage: 'qemu-utils', file: 'qemu-img' });
  return reqs;
}

/** Resolves a program name on PATH (plus the sbin directories, where `ip` lives). */
export async function findProgram(name: string): Promise<string | undefined> {
  if (name.includes('/')) return (await isAccessible(name, constants.X_OK)) ? name : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (await isAccessible(candidate, constants.X_OK)) return candidate;
  }
  return undefined;
}

/** Returns the requirements that are missing (empty when the host is ready). */
export async function missingRequirements(reqs: readonly HostRequirement[]): Promise<HostRequirement[]> {
  const missing: HostRequirement[] = [];
  for (const req of reqs) {
    const found = req.file.startsWith('/') ? await isAccessible(req.file, constants.R_OK) : (await findProgram(req.file)) !== undefined;
    if (!found) missing.push(req);
  }
  return missing;
}

/** Throws a MetalbootError naming every missing file and the apt-get line that installs them. */
export async function assertHostReady(options: { firmware: 'bios' | 'uefi'; ovmfCode?: string; disk?: boolean }): Promise<void> {
  const missing = await missingRequirements(hostRequirements(options));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((m) => m.debianPackage))];
  const list = missing.map((m) => `${m.what} (${m.file}, Debian package ${m.debianPackage})`).join('; ');
  throw new MetalbootError(`cannot start a ${options.firmware.toUpperCase()} VM: missing ${list}`, {
    code: 'E_QEMU_MISSING',
    hint: `install it with: apt-get install -y ${packages.join(' ')}`,
  });
}

async function isAccessible(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}
