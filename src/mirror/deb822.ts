/**
 * Debian control-file (deb822) parsing: Release, Packages and dpkg status files. Pure.
 * Field names are case-sensitive as Debian writes them; continuation lines (leading space)
 * are joined with '\n' so that multi-line fields (SHA256 in Release) keep their lines.
 * Written for speed: bookworm's amd64 Packages is 50 MB and 63,000 stanzas.
 */

export type Stanza = ReadonlyMap<string, string>;

function parseStanza(block: string, keep: ReadonlySet<string> | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  let start = 0;
  while (start < block.length) {
    let end = block.indexOf('\n', start);
    if (end === -1) end = block.length;
    const first = block.charCodeAt(start);
    if (first === 0x20 || first === 0x09) {
      if (last !== undefined) fields.set(last, `${fields.get(last)}\n${block.slice(start, end).trim()}`);
    } else if (first !== 0x23) {
      const colon = block.indexOf(':', start);
      if (colon > start && colon < end) {
        const name = block.slice(start, colon);
        last = keep === undefined || keep.has(name) ? name : undefined;
        if (last !== undefined) fields.set(last, block.slice(colon + 1, end).trim());
      }
    }
    start = end + 1;
  }
  return fields;
}

/** Splits `text` into stanzas (blank-line separated); only the `keep` fields when given. Comment lines (`#`) are skipped. */
export function parseStanzas(text: string, keep?: ReadonlySet<string>): Stanza[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((block) => parseStanza(block, keep))
    .filter((fields) => fields.size > 0);
}

/** `a (>= 1), b | c, d:any` → [['a'], ['b', 'c'], ['d']]: package names only, versions and arch qualifiers dropped. */
export function parseRelations(field: string | undefined): string[][] {
  if (!field) return [];
  return field
    .split(',')
    .map((group) => group.split('|').map((alt) => alt.trim().split(/[\s(:[]/)[0]!).filter((name) => name !== ''))
    .filter((group) => group.length > 0);
}
