/** A duration as people write it on the command line: `2h`, `90m`, `45s`, `1d`, `1h30m`. Pure. */
import { UsageError } from '../errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Milliseconds; `option` names the flag in the error, `maxMs` is the longest accepted. */
export function parseDuration(text: string, option: string, maxMs: number): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+)([smhd])/g)];
  const ms = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_MS[unit!]!, 0);
  if (parts.length === 0 || parts.map(([whole]) => whole).join('') !== trimmed || ms <= 0) {
    throw new UsageError(`${option} ${JSON.stringify(text)} is not a duration: write e.g. 2h, 90m, 45s, 1d or 1h30m`);
  }
  if (ms > maxMs) throw new UsageError(`${option} ${text} is longer than ${Math.round(maxMs / 86_400_000)}d`);
  return ms;
}
