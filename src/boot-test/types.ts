/** What a boot-test run is asked for and what it reports. */
import type { Arch, Firmware } from '../config/types.js';
import type { VmSerial } from '../vm/machine.js';

export type BootPhase = 'vm started' | 'ipxe' | 'script' | 'kernel' | 'initrd' | 'kernel up' | 'success';

/** One VM boot: an arch under a firmware (arm64: UEFI only). */
export interface BootRun {
  readonly arch: Arch;
  readonly firmware: Firmware;
}

/** What the server handed the device during one boot (its boot events), in order. */
export interface BootFetch {
  readonly kind: 'script' | 'kernel' | 'initrd';
  readonly path: string;
}

export interface FirmwareResult extends BootRun {
  readonly ok: boolean;
  /** The arguments this arch's kernel line had to hold (boot-test/target.ts). */
  readonly expectedArgs: readonly string[];
  /** Milliseconds since the VM started, per phase reached. */
  readonly phases: Partial<Record<BootPhase, number>>;
  readonly reached: BootPhase;
  readonly error?: string;
  /** The server's script, kernel and initrd events for this boot. */
  readonly fetched: readonly BootFetch[];
  /** The last 40 console lines (the kernel's console; the firmware's when the kernel printed nothing there). */
  readonly consoleTail?: string[];
  /** Which port the tail is from, e.g. `ttyS1`, `ttyS0 (firmware and iPXE)`, `ttyAMA0`. */
  readonly consoleTailFrom?: string;
  /** The kernel's console port and its text. */
  readonly consolePort: VmSerial;
  readonly consoleLog: string;
}

export interface BootTestOptions {
  readonly runs: readonly BootRun[];
  readonly timeoutMs: number;
  readonly expect?: RegExp;
  /** Keep the scratch directory (logs) instead of removing it. */
  readonly keepDir?: boolean;
  readonly onPhase?: (run: BootRun, phase: BootPhase, ms: number, detail?: string) => void;
}

export interface BootTestResult {
  readonly image: string;
  readonly device: string;
  readonly results: readonly FirmwareResult[];
  readonly workDir: string;
}
