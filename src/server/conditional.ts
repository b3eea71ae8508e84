/**
 * What an asset request gets, decided from its headers alone (pure; RFC 9110 §13.2.2 order):
 * If-Match that names another tag → 412; If-None-Match that matches (`fresh`) → 304; then one byte
 * range (`range-parser`), honoured only when If-Range is absent or names the current ETag.
 */
import type { IncomingHttpHeaders } from 'node:http';
import fresh from 'fresh';
import { parse as parseRangeHeader } from 'range-parser';

export type RangeResult =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

export type AssetAnswer =
  | { readonly status: 304 }
  | { readonly status: 412 }
  | { readonly status: 416 }
  | { readonly status: 200 | 206; readonly start: number; readonly end: number };

const FULL: RangeResult = { kind: 'full' };

/** `etag` is the asset's strong ETag (`"<sha256>"`), `size` its length in bytes. */
export function decideAssetAnswer(headers: IncomingHttpHeaders, etag: string, size: number): AssetAnswer {
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined && !namesTag(ifMatch, etag)) return { status: 412 };
  // Only If-None-Match goes to `fresh`: its rule that `Cache-Control: no-cache` makes every request
  // stale is for caches, and fetch() sends that header with every conditional request.
  if (fresh({ 'if-none-match': headers['if-none-match'] }, { etag })) return { status: 304 };
  const ifRange = headers['if-range'];
  const range = ifRange !== undefined && ifRange !== etag ? FULL : selectRange(headers.range, size);
  if (range.kind === 'unsatisfiable') return { status: 416 };
  if (range.kind === 'partial') return { status: 206, start: range.start, end: range.end };
  return { status: 200, start: 0, end: size - 1 };
}

/**
 * The one byte range of a Range header. Other units, malformed or reversed ranges and several
 * ranges are ignored (the whole body is sent, as RFC 9110 §14.2 allows); a range wholly past the
 * end is unsatisfiable; a suffix longer than the body is the whole body.
 */
export function selectRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return FULL;
  const { code, type, ranges } = parseRangeHeader(size, header);
  if (type !== 'bytes' || (code & 1) !== 0 || ranges.length > 1) return FULL;
  const [range] = ranges;
  if (range) return { kind: 'partial', start: range.start, end: range.end };
  return (code & 2) !== 0 ? { kind: 'unsatisfiable' } : FULL;
}

/** If-Match: `*` or a list of tags, compared strongly (a weak `W/"…"` never matches). */
function namesTag(header: string, etag: string): boolean {
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed === etag;
  });
}
