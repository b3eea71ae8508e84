/**
 * The phase timeline of a re-image (pure): marks in time order with the time since the start and
 * since the previous mark, and who the time belongs to (metalboot, the simulated Metal platform,
 * firmware, kernel/installer).
 */
import { oneLine } from '../util/control.js';

export type Owner = 'metalboot' | 'platform' | 'firmware' | 'kernel' | 'test';

export interface Mark {
  readonly phase: string;
  /** Milliseconds since the re-image started. */
  readonly atMs: number;
  /** Who spent the time between the previous mark and this one. */
  readonly owner: Owner;
  readonly detail?: string;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function sortMarks(marks: readonly Mark[]): Mark[] {
  return [...marks].sort((a, b) => a.atMs - b.atMs);
}

/** Total milliseconds per owner (each mark owns the gap since the previous one). */
export function shares(marks: readonly Mark[]): Record<Owner, number> {
  const totals: Record<Owner, number> = { metalboot: 0, platform: 0, firmware: 0, kernel: 0, test: 0 };
  let previous = 0;
  for (const mark of sortMarks(marks)) {
    totals[mark.owner] += Math.max(0, mark.atMs - previous);
    previous = Math.max(previous, mark.atMs);
  }
  return totals;
}

export function formatTimeline(marks: readonly Mark[]): string {
  const sorted = sortMarks(marks);
  const width = Math.max(...sorted.map((m) => m.phase.length), 5);
  const lines = [`  ${'at'.padStart(6)}  ${'+delta'.padStart(7)}  ${'phase'.padEnd(width)}  time spent by`];
  let previous = 0;
  for (const mark of sorted) {
    const delta = mark.atMs - previous;
    previous = mark.atMs;
    lines.push(`  ${seconds(mark.atMs).padStart(6)}  +${seconds(delta).padStart(6)}  ${mark.phase.padEnd(width)}  ${mark.owner}${mark.detail ? `  (${oneLine(mark.detail)})` : ''}`);
  }
  const total = shares(sorted);
  const sum = Object.values(total).reduce((a, b) => a + b, 0);
  const parts = (Object.keys(total) as Owner[]).filter((o) => total[o] > 0).map((o) => `${o} ${seconds(total[o])} (${Math.round((100 * total[o]) / (sum || 1))}%)`);
  lines.push(`  total ${seconds(sum)}: ${parts.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
