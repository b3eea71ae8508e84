/** What a boot-test run is asked for and what it reports. */
import type { Firmware } from '../config/types.js';

export type BootPhase = 'vm started' | 'script' | 'kernel' | 'initrd' | 'kernel up' | 'success';

export interface FirmwareResult {
  readonly firmware: Firmware;
  readonly ok: boolean;
  /** Milliseconds since the VM started, per phase reached. */
  readonly phases: Partial<Record<BootPhase, number>>;
  readonly reached: BootPhase;
  readonly error?: string;
  /** The last 40 console lines (ttyS1; the firmware's ttyS0 when ttyS1 stayed empty). */
  readonly consoleTail?: string[];
  readonly consoleTailFrom?: 'ttyS1' | 'ttyS0 (firmware and iPXE)';
  readonly consoleLog: string;
}

export interface BootTestOptions {
  readonly firmwares: readonly Firmware[];
  readonly timeoutMs: number;
  readonly expect?: RegExp;
  /** Keep the scratch directory (logs) instead of removing it. */
  readonly keepDir?: boolean;
  readonly onPhase?: (firmware: Firmware, phase: BootPhase, ms: number, detail?: string) => void;
}

export interface BootTestResult {
  readonly image: string;
  readonly device: string;
  readonly expectedArgs: readonly string[];
  readonly results: readonly FirmwareResult[];
  readonly workDir: string;
}
