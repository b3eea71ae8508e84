/**
 * Checks that this host can run a network-booting VM, and names the Debian package (from the one
 * list, src/host/packages.ts) that fixes whatever is missing.
 */
import { MetalbootError } from '../errors.js';
import { IPXE_ROM_BIOS, IPXE_ROM_EFI, OVMF_CODE, OVMF_VARS, QEMU_X86 } from '../host/debian-files.js';
import { findProgram, isAccessible } from '../host/files.js';
import { aptLine } from '../host/apt.js';
import type { DebianPackage } from '../host/packages.js';
import { packageProviding } from '../host/packages.js';
import { QEMU_BINARY } from './qemu-args.js';

export interface HostRequirement {
  readonly what: string;
  /** An absolute file, or a bare program name looked up on PATH. */
  readonly file: string;
  readonly debianPackage: DebianPackage;
}

/** `file` as the VM code uses it; `proof` is the file the package list knows (default: `file`). */
function need(what: string, file: string, proof = file): HostRequirement {
  const debianPackage = packageProviding(proof);
  if (!debianPackage) throw new Error(`src/host/packages.ts lists no package that installs ${proof}`);
  return { what, file, debianPackage };
}

export function hostRequirements(options: { firmware: 'bios' | 'uefi'; ovmfCode?: string; disk?: boolean }): HostRequirement[] {
  const reqs: HostRequirement[] = [
    need('QEMU', QEMU_BINARY, QEMU_X86),
    need('unshare (private network namespace)', 'unshare', '/usr/bin/unshare'),
    need('ip (loopback in the namespace)', 'ip', '/usr/sbin/ip'),
  ];
  if (options.firmware === 'bios') {
    reqs.push(need("QEMU's iPXE ROM for virtio-net (BIOS)", IPXE_ROM_BIOS));
  } else {
    reqs.push(
      need("QEMU's iPXE ROM for virtio-net (UEFI)", IPXE_ROM_EFI),
      need('OVMF UEFI firmware', options.ovmfCode ?? OVMF_CODE, OVMF_CODE),
      need('OVMF UEFI variable store template', OVMF_VARS),
    );
  }
  if (options.disk) reqs.push(need('qemu-img (VM disks)', 'qemu-img', '/usr/bin/qemu-img'));
  return reqs;
}

/** Returns the requirements that are missing (empty when the host is ready). */
export async function missingRequirements(reqs: readonly HostRequirement[]): Promise<HostRequirement[]> {
  const missing: HostRequirement[] = [];
  for (const req of reqs) {
    const found = req.file.startsWith('/') ? await isAccessible(req.file) : (await findProgram(req.file)) !== undefined;
    if (!found) missing.push(req);
  }
  return missing;
}

/** Throws a MetalbootError naming every missing file and the apt-get line that installs them. */
export async function assertHostReady(options: { firmware: 'bios' | 'uefi'; ovmfCode?: string; disk?: boolean }): Promise<void> {
  const missing = await missingRequirements(hostRequirements(options));
  if (missing.length === 0) return;
  const packages = [...new Map(missing.map((m) => [m.debianPackage.name, m.debianPackage])).values()];
  const list = missing.map((m) => `${m.what} (${m.file}, Debian package ${m.debianPackage.name})`).join('; ');
  throw new MetalbootError(`cannot start a ${options.firmware.toUpperCase()} VM: missing ${list}`, {
    code: 'E_QEMU_MISSING',
    hint: `install it with: ${aptLine(packages)}`,
  });
}
