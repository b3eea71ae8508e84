/**
 * `local_mirror` on a debian image: whether its installs use the partial mirror `metalboot mirror`
 * builds (served by `metalboot serve` at /mirror/<image>/) instead of the upstream `mirror`, which
 * then is only where the partial mirror is built from. Default false.
 */
import type { Path, Where } from './fields.js';
import { fail, show } from './fields.js';

export const LOCAL_MIRROR_KEY = 'local_mirror';

export function readLocalMirror(where: Where, path: Path, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') fail(where, path, `expected true or false (serve installs from the local partial mirror built by \`metalboot mirror\`), got ${show(value)}`);
  return value;
}
