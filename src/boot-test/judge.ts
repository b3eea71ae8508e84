/**
 * Whether a boot succeeded, failed or is still going, from what the VM printed and what the server
 * saw. Pure: boot-test's runner polls the consoles and asks this after every read; tests feed it
 * captured console texts.
 */
import { redactTokens } from '../config/device-token.js';

/** Lines that mean the boot cannot succeed, by who prints them (x86_64 and arm64 alike unless noted). */
const FAILURE_LINES: readonly RegExp[] = [
  // iPXE (the NIC's ROM on x86_64, Debian 13's ipxe-arm64.efi on arm64)
  /Could not boot image/, /Exec format error/, /Nothing to boot/,
  // metalboot's own script (src/ipxe): no variant for this arch; a download that failed every
  // attempt; a kernel iPXE loaded but could not start (on arm64: an x86 kernel, `Could not boot: Error 0x7f048183`)
  /metalboot: image \S+ has no variant for arch/, /metalboot: could not load the \S+ for device \S+ after/,
  /metalboot: the \S+ kernel for device \S+ did not start/,
  // firmware: SeaBIOS, OVMF; AAVMF (arm64) when iPXE exits, and its CPU exception dump
  /No bootable device/, /Boot failed/, /No bootable option or device was found/, /Synchronous Exception at/,
  // Linux: its EFI stub (UEFI), the kernel
  /EFI stub: ERROR:/, /Kernel panic/, /VFS: Unable to mount root fs/, /not a valid kernel/,
];
export const FAILURE = new RegExp(FAILURE_LINES.map((line) => line.source).join('|'));
/**
 * iPXE is running (on the firmware console): the NIC's ROM under SeaBIOS and the EFI application
 * under AAVMF say they initialise devices; under OVMF the ROM's driver prints its banner only.
 */
export const IPXE_STARTED = /iPXE initialising devices|-- Open Source Network Boot Firmware --/;
/** Default success after the expected command line: the kernel hands over to the initrd's init. */
export const INIT_STARTED = /Run \S+ as init process/;
/** iPXE fetching the kernel this often without going on to the initrd is a download loop. */
export const KERNEL_FETCH_LOOP = 3;

export interface ConsoleCapture {
  /** The kernel's console (ttyS1, ttyS0 or arm64's ttyAMA0) as plain text (vm/console-text.ts). */
  readonly console: string;
  /** Where firmware and iPXE print (ttyS0; arm64: ttyAMA0, the same text) as plain text. */
  readonly firmware: string;
  /** How often the server handed the device its kernel and initrd so far. */
  readonly fetches: Readonly<Partial<Record<'kernel' | 'initrd', number>>>;
  /** Set once the VM has exited: its exit code (null: killed by a signal). */
  readonly exited?: { readonly code: number | null };
  /** The boot's deadline has passed. */
  readonly timedOut?: boolean;
}

export interface ConsoleExpectations {
  /** Arguments the kernel's `Kernel command line:` must hold (boot-test/target.ts). */
  readonly kernelArgs: readonly string[];
  /** Success once the kernel is up (default INIT_STARTED). */
  readonly success?: RegExp;
  /** For the time-out message. */
  readonly timeoutMs: number;
}

export interface Verdict {
  readonly outcome: 'booting' | 'success' | 'failed';
  /** The kernel printed a command line holding every expected argument. */
  readonly kernelUp: boolean;
  /** iPXE has started (IPXE_STARTED on the firmware console). */
  readonly ipxe: boolean;
  /** Why it failed (tokens redacted). */
  readonly error?: string;
}

export function judgeConsole(capture: ConsoleCapture, expect: ConsoleExpectations): Verdict {
  const ipxe = IPXE_STARTED.test(capture.firmware);
  const failed = (kernelUp: boolean, error: string): Verdict => ({ outcome: 'failed', kernelUp, ipxe, error });
  const cmdline = /Kernel command line: (.*)/.exec(capture.console)?.[1];
  if (cmdline !== undefined) {
    const given = cmdline.split(/\s+/);
    const missing = expect.kernelArgs.filter((arg) => !given.includes(arg));
    if (missing.length > 0) return failed(false, `the kernel command line lacks ${redactTokens(missing.join(' '))}: ${redactTokens(cmdline)}`);
  }
  const kernelUp = cmdline !== undefined;
  const success = expect.success ?? INIT_STARTED;
  if (kernelUp && success.test(capture.console)) return { outcome: 'success', kernelUp, ipxe };
  const failure = FAILURE.exec(capture.console) ?? FAILURE.exec(capture.firmware);
  if (failure) {
    const text = capture.console.includes(failure[0]) ? capture.console : capture.firmware;
    return failed(kernelUp, redactTokens(`boot failed: "${lineAt(text, failure.index)}"`));
  }
  const kernels = capture.fetches.kernel ?? 0;
  if (kernels >= KERNEL_FETCH_LOOP && capture.fetches.initrd === undefined) {
    return failed(kernelUp, `iPXE downloaded the kernel ${kernels} times and never went on to the initrd: it refuses the kernel (not a bzImage/EFI kernel?) or the download breaks`);
  }
  if (capture.exited) return failed(kernelUp, `the VM exited (code ${String(capture.exited.code)}) before ${kernelUp ? 'success' : 'the kernel came up'}`);
  if (capture.timedOut) {
    const awaited = kernelUp ? `match for ${String(success)}` : 'kernel command line';
    return failed(kernelUp, `no ${awaited} within ${Math.round(expect.timeoutMs / 1000)} s`);
  }
  return { outcome: 'booting', kernelUp, ipxe };
}

/** The whole line of `text` holding position `index`, trimmed. */
function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end === -1 ? undefined : end).trim();
}
