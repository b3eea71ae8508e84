/**
 * The image-based install part of a demo run (`demo --full`), after the device's first VM started:
 * the installer's kernel on ttyS1, its "installed" report, the VM starting again after the
 * installer's reboot, then on the installed system's console GRUB, its kernel and the login prompt,
 * up to its own "booted" report. Marks only what the system showed; fails with what it saw last.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MetalbootError } from '../errors.js';
import { redactTokens } from '../config/device-token.js';
import type { RunningVm } from '../vm/vm.js';
import { followConsole } from './follow-console.js';
import { MARK } from './phases.js';
import type { Stack } from './stack.js';
import type { Owner } from './timeline.js';

export interface FollowInstallInput {
  readonly stack: Stack;
  readonly vm: RunningVm;
  readonly mark: (phase: string, owner: Owner, detail?: string, at?: number) => void;
  /** Milliseconds left before the run's deadline. */
  readonly left: () => number;
  /** The CLI has exited (it gives up on a "failed" report or its own timeout). */
  readonly cliDone: () => boolean;
  /** What the CLI wrote to stderr so far (its phases, its error). */
  readonly cliStderr: () => string;
  readonly installed: () => boolean;
  readonly booted: () => boolean;
  readonly loginPrompt: RegExp;
  readonly onConsole?: (text: string) => void;
}

/** Resolves once `done()` holds; throws `what` when the deadline passes or the CLI exits first. */
async function until(done: () => boolean, input: FollowInstallInput, what: string): Promise<void> {
  while (!done()) {
    if (input.cliDone()) throw new MetalbootError(`metalboot reimage exited before ${what}:\n${input.cliStderr().trim().split('\n').slice(-15).join('\n')}`);
    if (input.left() <= 1_000) throw new MetalbootError(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Marks a console line when (if) it shows up; a VM that ends first leaves it unmarked. */
async function markWhenSeen(vm: RunningVm, pattern: RegExp, input: FollowInstallInput, phase: string, owner: Owner, detail?: (m: RegExpMatchArray) => string): Promise<void> {
  const match = await vm.waitForConsole(pattern, input.left()).catch(() => undefined);
  if (match) input.mark(phase, owner, detail?.(match));
}

export async function followInstall(input: FollowInstallInput): Promise<void> {
  const { stack } = input;
  let stopFollowing = input.onConsole ? followConsole(input.vm, input.onConsole) : undefined;
  try {
    const cmdline = await input.vm.waitForConsole(/Kernel command line: (.*)/, input.left());
    input.mark('installer kernel up', 'kernel', redactTokens(cmdline[1] ?? ''));
    await input.vm.waitForConsole(/Run \/init as init process/, input.left());
    input.mark('installer init started', 'kernel');
    await until(input.installed, input, `the installer's "installed" report from ${stack.device}`);
    await until(() => stack.runs.length >= 2, input, `${stack.device}'s VM to start again after the install`);
    const second = stack.runs[1]!;
    input.mark(MARK.rebooted, 'platform', `the bridge restarted it: ${second.reason}`, second.at);
    stopFollowing?.();
    stopFollowing = input.onConsole ? followConsole(second.vm, input.onConsole) : undefined;
    const vm = second.vm;
    // Optional marks (a GRUB without a menu, a quiet kernel): seen or not, the login prompt and the report decide.
    // They settle before the prompt (they come before it on the console), or when the VM stops.
    void markWhenSeen(vm, /GNU GRUB/, input, MARK.grub, 'firmware');
    void markWhenSeen(vm, /Linux version (\S+)/, input, MARK.installedKernel, 'kernel', (m) => `Linux ${m[1] ?? '?'}`);
    void markWhenSeen(vm, /systemd\[1\]: systemd (\S+) running|Welcome to .*Linux/, input, MARK.installedInit, 'kernel', (m) => (m[1] ? `systemd ${m[1]}` : m[0]));
    await vm.waitForConsole(input.loginPrompt, input.left());
    input.mark(MARK.loginPrompt, 'kernel', 'the installed system, from its disk');
    await until(input.booted, input, `the installed system's own "booted" report from ${stack.device}`);
  } finally {
    stopFollowing?.();
  }
}
