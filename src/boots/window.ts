/** How long a boot window lasts, as people write it: `2h`, `90m`, `45s`, `1d`, `1h30m`. Pure. */
import { UsageError } from '../errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** A window longer than this is refused: an armed boot is meant to end. */
export const MAX_WINDOW_MS = 7 * 86_400_000;

export function parseWindow(text: string, option = '--for'): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+)([smhd])/g)];
  const ms = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_MS[unit!]!, 0);
  if (parts.length === 0 || parts.map(([whole]) => whole).join('') !== trimmed || ms <= 0) {
    throw new UsageError(`${option} ${JSON.stringify(text)} is not a duration: write e.g. 2h, 90m, 45s, 1d or 1h30m`);
  }
  if (ms > MAX_WINDOW_MS) throw new UsageError(`${option} ${text} is longer than the longest boot window (7d)`, { hint: 'arm again when the device boots again' });
  return ms;
}
