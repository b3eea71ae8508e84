/** URL text helpers. Pure. */

/** A base URL (or path) without its trailing slashes, so `${base}/path` has exactly one slash. */
export function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
