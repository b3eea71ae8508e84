/**
 * Checks that this host can run a network-booting VM, and names the Debian package (from the one
 * list, src/host/packages.ts) that fixes whatever is missing.
 */
import type { Arch, Firmware } from '../config/types.js';
import { MetalbootError } from '../errors.js';
import {
  AAVMF_CODE, AAVMF_VARS, IPXE_ROM_BIOS, IPXE_ROM_EFI, IPXE_TRIXIE_ARM64_EFI, OVMF_CODE, OVMF_VARS, QEMU_AARCH64, QEMU_X86,
} from '../host/debian-files.js';
import { findProgram, isAccessible } from '../host/files.js';
import { installHint } from '../host/ensure.js';
import type { DebianPackage } from '../host/packages.js';
import { aptName, packageProviding } from '../host/packages.js';
import { QEMU_BINARY } from './qemu-args.js';
import { QEMU_BINARY_ARM64 } from './qemu-args-arm64.js';

export interface HostRequirement {
  readonly what: string;
  /** An absolute file, or a bare program name looked up on PATH. */
  readonly file: string;
  readonly debianPackage: DebianPackage;
}

export interface HostCheckOptions {
  /** Default x86_64. */
  readonly arch?: Arch;
  readonly firmware: Firmware;
  /** UEFI firmware code other than the package's: OVMF (x86_64) or AAVMF (arm64). */
  readonly ovmfCode?: string;
  readonly aavmfCode?: string;
  /** arm64: the iPXE EFI application other than Debian 13's. */
  readonly ipxeEfi?: string;
  readonly disk?: boolean;
}

/** `file` as the VM code uses it; `proof` is the file the package list knows (default: `file`). */
function need(what: string, file: string, proof = file): HostRequirement {
  const debianPackage = packageProviding(proof);
  if (!debianPackage) throw new Error(`src/host/packages.ts lists no package that installs ${proof}`);
  return { what, file, debianPackage };
}

export function hostRequirements(options: HostCheckOptions): HostRequirement[] {
  const arm64 = options.arch === 'arm64';
  const reqs: HostRequirement[] = [
    arm64 ? need('QEMU for aarch64', QEMU_BINARY_ARM64, QEMU_AARCH64) : need('QEMU', QEMU_BINARY, QEMU_X86),
    need('unshare (private network namespace)', 'unshare', '/usr/bin/unshare'),
    need('ip (loopback in the namespace)', 'ip', '/usr/sbin/ip'),
  ];
  if (arm64) {
    reqs.push(
      need('AAVMF UEFI firmware for arm64', options.aavmfCode ?? AAVMF_CODE, AAVMF_CODE),
      need('AAVMF UEFI variable store template', AAVMF_VARS),
      need("Debian 13's iPXE for arm64 UEFI", options.ipxeEfi ?? IPXE_TRIXIE_ARM64_EFI, IPXE_TRIXIE_ARM64_EFI),
    );
  } else if (options.firmware === 'bios') {
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

/** Throws a MetalbootError naming every missing file and the command lines that bring them. */
export async function assertHostReady(options: HostCheckOptions): Promise<void> {
  const missing = await missingRequirements(hostRequirements(options));
  if (missing.length === 0) return;
  const packages = [...new Map(missing.map((m) => [aptName(m.debianPackage), m.debianPackage])).values()];
  const list = missing.map((m) => `${m.what} (${m.file}, Debian package ${aptName(m.debianPackage)})`).join('; ');
  const vm = options.arch === 'arm64' ? 'an arm64' : `a ${options.firmware.toUpperCase()}`;
  throw new MetalbootError(`cannot start ${vm} VM: missing ${list}`, {
    code: 'E_QEMU_MISSING',
    hint: installHint(packages),
  });
}
