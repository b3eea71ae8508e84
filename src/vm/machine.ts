/**
 * The two kinds of VM metalboot runs, as facts (pure): which QEMU, which serial ports and what
 * each carries, which firmware, how much memory by default.
 *
 *   x86_64: qemu-system-x86_64 -machine pc; ttyS0 = firmware and iPXE, ttyS1 = Linux's console
 *           (Metal's SOS console); SeaBIOS or OVMF; the NIC's own iPXE ROM (ipxe-qemu).
 *   arm64:  qemu-system-aarch64 -machine virt; ttyAMA0 (the PL011 UART) carries everything;
 *           AAVMF (UEFI) only; Debian 13's ipxe-arm64.efi run by the firmware.
 */
import type { Arch, Firmware } from '../config/types.js';
import { QEMU_BINARY, DEFAULT_MEMORY_MB } from './qemu-args.js';
import { DEFAULT_MEMORY_MB_ARM64, QEMU_BINARY_ARM64 } from './qemu-args-arm64.js';

/** A VM's serial port, named as the guest's Linux names it. */
export type VmSerial = 'ttyS0' | 'ttyS1' | 'ttyAMA0';

export interface VmMachine {
  readonly arch: Arch;
  readonly qemuBinary: string;
  /** Serial ports in QEMU's `-serial` order; each is logged to `<port>.log`. */
  readonly serials: readonly VmSerial[];
  /** Where Linux's console is by default (Metal's SOS console): what `waitForConsole` follows. */
  readonly console: VmSerial;
  /** Where firmware and iPXE print. */
  readonly firmwareConsole: VmSerial;
  readonly firmwares: readonly Firmware[];
  readonly defaultMemoryMb: number;
}

export const VM_MACHINES: Readonly<Record<Arch, VmMachine>> = {
  x86_64: {
    arch: 'x86_64', qemuBinary: QEMU_BINARY, serials: ['ttyS0', 'ttyS1'], console: 'ttyS1', firmwareConsole: 'ttyS0',
    firmwares: ['bios', 'uefi'], defaultMemoryMb: DEFAULT_MEMORY_MB,
  },
  arm64: {
    arch: 'arm64', qemuBinary: QEMU_BINARY_ARM64, serials: ['ttyAMA0'], console: 'ttyAMA0', firmwareConsole: 'ttyAMA0',
    firmwares: ['uefi'], defaultMemoryMb: DEFAULT_MEMORY_MB_ARM64,
  },
};

/** Whether a VM of `arch` can boot under `firmware` (arm64: UEFI only). */
export function supportsFirmware(arch: Arch, firmware: Firmware): boolean {
  return VM_MACHINES[arch].firmwares.includes(firmware);
}
