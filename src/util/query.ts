/**
 * THE query-string parse: names and values percent-decoded (`tok%65n=…` is `token`), `+` as a
 * space, as every consumer (the router's handlers, the request log's redaction) must see it.
 * One parse, so what a handler accepts and what the log hides cannot disagree. Pure.
 */

/** `?a=1&b=2` (or the whole request target) → its pairs in order; a malformed escape stays as sent. */
export function parseQuery(target: string): [name: string, value: string][] {
  const start = target.indexOf('?');
  if (start < 0) return [];
  const hash = target.indexOf('#', start);
  const query = target.slice(start + 1, hash < 0 ? undefined : hash);
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push([decode(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decode(part.slice(eq + 1))]);
  }
  return pairs;
}

/** Query parameters as a prototype-free record; a parameter given twice is an array. */
export function queryRecord(pairs: readonly (readonly [string, string])[]): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of pairs) {
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

function decode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
