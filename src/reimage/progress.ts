/**
 * Progress of a re-image on stderr: on a TTY one live status line (phase, elapsed time), with each
 * finished phase printed above it; otherwise one plain line per phase. Formatting is pure. Text
 * that came from a device (phone-home messages, paths) is made one line with no control bytes
 * (util/control.ts), so it can neither move the cursor nor forge a line.
 */
import { oneLine } from '../util/control.js';
import type { PhaseRecord } from './types.js';

export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
}

export function formatPhaseLine(device: string, phase: PhaseRecord): string {
  return oneLine(`${device}: +${formatElapsed(phase.elapsedMs).padStart(6)}  ${phase.phase}${phase.detail ? `  ${phase.detail}` : ''}`);
}

export function formatStatusLine(device: string, phase: string | undefined, elapsedMs: number, frame: number): string {
  const spinner = ['|', '/', '-', '\\'][frame % 4]!;
  return oneLine(`${spinner} ${device}: ${phase ?? 'starting'} … ${formatElapsed(elapsedMs)}`);
}

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Progress {
  phase(phase: PhaseRecord): void;
  info(text: string): void;
  stop(): void;
}

export function createProgress(device: string, stream: ProgressStream, options: { live?: boolean; startedAt?: () => number; quiet?: boolean } = {}): Progress {
  if (options.quiet) return { phase() {}, info() {}, stop() {} };
  const live = options.live ?? stream.isTTY === true;
  if (!live) {
    return {
      phase: (phase) => void stream.write(`${formatPhaseLine(device, phase)}\n`),
      info: (text) => void stream.write(`${oneLine(`${device}: ${text}`)}\n`),
      stop() {},
    };
  }
  const startedAt = options.startedAt ?? (() => Date.now());
  const t0 = startedAt();
  let current: string | undefined;
  let frame = 0;
  const draw = () => void stream.write(`\r\x1b[K${formatStatusLine(device, current, Date.now() - t0, frame++)}`);
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    phase(phase) {
      current = phase.phase;
      stream.write(`\r\x1b[K${formatPhaseLine(device, phase)}\n`);
      draw();
    },
    info(text) {
      stream.write(`\r\x1b[K${oneLine(`${device}: ${text}`)}\n`);
      draw();
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[K');
    },
  };
}
