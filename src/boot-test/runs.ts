/**
 * Which VMs `boot-test` starts (pure). `--firmware` chooses the x86_64 firmware (default: both);
 * arm64 VMs boot under UEFI (AAVMF, the one firmware of QEMU's `virt` machine here) whatever it
 * says. Only `--arch arm64` with `--firmware bios` asks for nothing that can run: an error.
 */
import type { Arch, Firmware } from '../config/types.js';
import { UsageError } from '../errors.js';
import { supportsFirmware } from '../vm/machine.js';
import type { BootRun } from './types.js';

export function parseArches(value: string): Arch[] {
  if (value === 'both') return ['x86_64', 'arm64'];
  if (value === 'x86_64' || value === 'arm64') return [value];
  throw new UsageError(`--arch must be x86_64, arm64 or both, got "${value}"`);
}

export function parseFirmwares(value: string): Firmware[] {
  if (value === 'both') return ['bios', 'uefi'];
  if (value === 'bios' || value === 'uefi') return [value];
  throw new UsageError(`--firmware must be bios, uefi or both, got "${value}"`);
}

/** The boots, x86_64 ones first; `firmwares` undefined: x86_64 under BIOS and UEFI. */
export function bootRuns(arches: readonly Arch[], firmwares?: readonly Firmware[]): BootRun[] {
  if (firmwares && !arches.includes('x86_64') && !firmwares.some((firmware) => supportsFirmware('arm64', firmware))) {
    throw new UsageError('arm64 VMs boot under UEFI only (AAVMF, the firmware of QEMU\'s virt machine)', { hint: 'leave out --firmware, or give --firmware uefi' });
  }
  const runs: BootRun[] = [];
  if (arches.includes('x86_64')) for (const firmware of firmwares ?? ['bios', 'uefi'] as const) runs.push({ arch: 'x86_64', firmware });
  if (arches.includes('arm64')) runs.push({ arch: 'arm64', firmware: 'uefi' });
  return runs;
}
