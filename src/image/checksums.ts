/** Parsers for mirror checksum lists. Pure. */
import { BuildError } from '../errors.js';

/** Debian `SHA256SUMS`: `<hex>  ./path` per line → path (without `./`) → sha256. */
export function parseSha256Sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(?:\.\/)?(\S.*)$/.exec(line.trim());
    if (match) out.set(match[2]!, match[1]!.toLowerCase());
  }
  return out;
}

/** `.treeinfo` (INI): the `[checksums]` section, `images/pxeboot/vmlinuz = sha256:<hex>`. */
export function parseTreeinfoChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    if (section !== 'checksums') continue;
    const entry = /^([^=]+?)\s*=\s*sha256:([0-9a-fA-F]{64})$/.exec(line);
    if (entry) out.set(entry[1]!, entry[2]!.toLowerCase());
  }
  return out;
}

export function requireChecksum(sums: Map<string, string>, path: string, listName: string): string {
  const sha = sums.get(path);
  if (!sha) throw new BuildError(`${listName} has no sha256 for ${path}`, { hint: 'the mirror does not carry this file for this release/arch, or the list is damaged' });
  return sha;
}
