/**
 * If-Match as the simulator's profiles evaluate it: weak comparison by default (`W/"x"` matches
 * `"x"`), strong comparison under strict-if-match (RFC 7232: a weak tag never matches, so the
 * `W/"x"` it handed out fails and only `"x"` passes), every tag
 * but `*` failing under broken-if-match, and a missing header refused under if-match-required.
 */
import type { Quirks } from './profiles.js';

export type Precondition = 'ok' | 'failed' | 'required';

export function checkIfMatch(header: string | undefined, current: string | undefined, quirks: Quirks): Precondition {
  if (header === undefined || header.trim() === '') return quirks.ifMatchRequired ? 'required' : 'ok';
  const tags = header.split(',').map((tag) => tag.trim()).filter(Boolean);
  if (tags.includes('*')) return 'ok';
  if (quirks.brokenIfMatch || current === undefined) return 'failed';
  const opaque = (tag: string) => tag.replace(/^W\//, '');
  const matches = tags.some((tag) => {
    if (quirks.strictIfMatch) return !tag.startsWith('W/') && tag === opaque(current);
    return opaque(tag) === opaque(current);
  });
  return matches ? 'ok' : 'failed';
}
