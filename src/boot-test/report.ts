/** What `boot-test` prints (pure): per VM the phase times, and on failure the phase reached and the console tail. */
import type { BootPhase, BootRun, BootTestResult, FirmwareResult } from './types.js';
import { redactTokens } from '../config/device-token.js';

const ORDER: readonly BootPhase[] = ['ipxe', 'script', 'kernel', 'initrd', 'kernel up', 'success'];
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function formatPhases(result: FirmwareResult): string {
  return ORDER.map((phase) => `${phase} ${result.phases[phase] === undefined ? '-' : seconds(result.phases[phase])}`).join(', ');
}

/** `x86_64 under BIOS`, `arm64 under UEFI`. */
export function formatRun(run: BootRun): string {
  return `${run.arch} under ${run.firmware.toUpperCase()}`;
}

export function formatBootTest(result: BootTestResult): string {
  const lines: string[] = [];
  for (const r of result.results) {
    const head = `${result.image} (${result.device}) on ${formatRun(r)}`;
    if (r.ok) {
      lines.push(`ok    ${head}: ${formatPhases(r)}`);
      continue;
    }
    lines.push(`FAIL  ${head}: ${r.error ?? 'failed'}`);
    lines.push(`      reached: ${r.reached} (${formatPhases(r)})`);
    if (r.consoleTail && r.consoleTail.length > 0) {
      lines.push(`      last ${r.consoleTail.length} lines of ${r.consoleTailFrom ?? 'the console'}:`);
      for (const line of r.consoleTail) lines.push(`      | ${redactTokens(line)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The --json document (console logs left out; the tail is kept on failure; tokens redacted). */
export function bootTestJson(result: BootTestResult): unknown {
  return {
    image: result.image,
    device: result.device,
    ok: result.results.every((r) => r.ok),
    results: result.results.map(({ consoleLog: _log, consoleTail, expectedArgs, fetched, ...r }) => ({
      ...r,
      expectedArgs: expectedArgs.map(redactTokens),
      fetched: fetched.map((f) => ({ ...f, path: redactTokens(f.path) })),
      ...(consoleTail ? { consoleTail: consoleTail.map(redactTokens) } : {}),
    })),
  };
}
