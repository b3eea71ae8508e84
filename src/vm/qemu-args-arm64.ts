/**
 * The qemu-system-aarch64 argv for one network-booting arm64 VM. Pure: input in, argv out
 * (golden-tested).
 *
 * The VM stands in for an arm64 Metal server (Ampere) as the boot chain sees it: the `virt`
 * machine under AAVMF (UEFI for arm64, code read-only + this VM's own copy of the vars), and
 * Debian 13's iPXE for arm64 started by the firmware as an EFI application (`-kernel`; Debian 12
 * ships no arm64 iPXE ROM for a NIC). iPXE does DHCP against QEMU user networking, whose boot file
 * is the device's script URL. The NIC gets no option ROM (`romfile=`): QEMU's default one is
 * x86 code. The only serial port is the PL011 UART, Linux's `ttyAMA0`: firmware, iPXE and the
 * kernel all print there. Software emulation only (TCG).
 */
import { UsageError } from '../errors.js';
import { normalizeMac, normalizeUuid } from '../config/mac.js';
import { AAVMF_CODE, IPXE_TRIXIE_ARM64_EFI } from '../host/debian-files.js';
import { DEFAULT_CPUS, qemuOptValue, validateCommon } from './qemu-args.js';

export interface Arm64QemuArgsInput {
  /** DHCP boot file handed to iPXE, e.g. `http://10.0.2.2:8080/ipxe/arm-1`. */
  bootUrl: string;
  /** The 0600 file with the VM's user netdev (user-net.ts): the boot URL stays out of argv. */
  userNetConfig: string;
  /** The PL011 UART (the guest's ttyAMA0). */
  ttyAMA0Log: string;
  /** This VM's own writable copy of AAVMF_VARS.fd. */
  aavmfVars: string;
  /** AAVMF code (read-only); default the qemu-efi-aarch64 package's. */
  aavmfCode?: string;
  /** The iPXE EFI application the firmware runs; default Debian 13's ipxe-arm64.efi. */
  ipxeEfi?: string;
  memoryMb?: number;
  cpus?: number;
  mac?: string;
  /** SMBIOS system UUID (what iPXE sees as `${uuid}`). */
  uuid?: string;
  /** Optional qcow2 disk (an installer's target). */
  disk?: string;
}

export const QEMU_BINARY_ARM64 = 'qemu-system-aarch64';
/** The Debian installer for arm64 unpacks its 120 MB initrd in RAM: 1 GB is not enough. */
export const DEFAULT_MEMORY_MB_ARM64 = 1536;
/**
 * Every feature TCG emulates; `pauth-impdef=on` swaps the architected pointer-authentication
 * cipher (QARMA, costly to emulate, used by every function return of Debian's arm64 kernel) for
 * QEMU's cheaper one. The guest cannot tell the difference.
 */
export const ARM64_CPU = 'max,pauth-impdef=on';

export function qemuArgsArm64(input: Arm64QemuArgsInput): string[] {
  validateCommon(input);
  if (!input.aavmfVars) throw new UsageError('qemu: an arm64 VM needs aavmfVars, a writable per-VM copy of AAVMF_VARS.fd');
  if (!input.ttyAMA0Log) throw new UsageError('qemu: ttyAMA0Log must be a file path');
  if (!input.userNetConfig) throw new UsageError('qemu: an arm64 VM needs userNetConfig, the 0600 file with its netdev (src/vm/user-net.ts)');
  const nic = ['virtio-net-pci', 'netdev=n0', ...(input.mac ? [`mac=${normalizeMac(input.mac)}`] : []), 'romfile='].join(',');
  const args = [
    '-name', 'metalboot',
    '-nodefaults',
    '-machine', 'virt',
    '-cpu', ARM64_CPU,
    '-accel', 'tcg',
    '-m', String(input.memoryMb ?? DEFAULT_MEMORY_MB_ARM64),
    '-smp', String(input.cpus ?? DEFAULT_CPUS),
    '-display', 'none',
    '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${qemuOptValue(input.aavmfCode ?? AAVMF_CODE)}`,
    '-drive', `if=pflash,format=raw,unit=1,file=${qemuOptValue(input.aavmfVars)}`,
    '-kernel', input.ipxeEfi ?? IPXE_TRIXIE_ARM64_EFI,
    '-readconfig', input.userNetConfig,
    '-device', nic,
    '-serial', `file:${input.ttyAMA0Log}`,
  ];
  if (input.uuid) args.push('-smbios', `type=1,uuid=${normalizeUuid(input.uuid)}`);
  if (input.disk) args.push('-drive', `if=virtio,format=qcow2,file=${qemuOptValue(input.disk)}`);
  return args;
}
