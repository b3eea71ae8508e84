/**
 * Which device a VM standing in for a Metal server boots first, as Metal's firmware decides
 * (pure, one fact): the network when always_pxe is on or on the first boot after a re-image
 * (a reinstall, a new device); otherwise the disk, with the network as the fallback when the disk
 * has no boot loader (the bootindex order in qemu-args.ts does the falling back).
 */

export type BootFirst = 'network' | 'disk';

export interface BootFromInput {
  /** The device's always_pxe now (not when the VM started: a phone-home turns it off mid-run). */
  readonly alwaysPxe: boolean;
  /** This boot follows a reinstall/create: Metal network-boots once into custom iPXE. */
  readonly afterReimage: boolean;
}

export function bootFirst(input: BootFromInput): BootFirst {
  return input.alwaysPxe || input.afterReimage ? 'network' : 'disk';
}
