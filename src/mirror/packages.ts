/** Packages indexes (and dpkg status files) as typed entries. Pure. */
import { BuildError } from '../errors.js';
import type { Stanza } from './deb822.js';
import { parseRelations, parseStanzas } from './deb822.js';

export interface PackageEntry {
  readonly name: string;
  readonly version: string;
  readonly priority: string;
  /** Pool path relative to the archive root (absent in dpkg status files). */
  readonly filename: string;
  readonly size: number;
  readonly sha256: string;
  /** Kernel ABI of a kernel-module udeb (e.g. 6.1.0-50-amd64). */
  readonly kernelVersion?: string;
  readonly depends: readonly string[][];
  readonly provides: readonly string[];
}

const FIELDS = new Set(['Package', 'Version', 'Priority', 'Filename', 'Size', 'SHA256', 'Kernel-Version', 'Pre-Depends', 'Depends', 'Provides', 'Status']);
const SAFE_POOL_PATH = /^pool\/[A-Za-z0-9][A-Za-z0-9+._~\-/]*\.u?deb$/;

function toEntry(stanza: Stanza, source: string, needFile: boolean): PackageEntry | undefined {
  const name = stanza.get('Package');
  if (!name) return undefined;
  const filename = stanza.get('Filename') ?? '';
  const sha256 = stanza.get('SHA256') ?? '';
  if (needFile) {
    // Paths end up on disk under the mirror root: refuse anything that could leave it.
    if (!SAFE_POOL_PATH.test(filename) || filename.includes('..')) {
      throw new BuildError(`${source}: package ${name} has an unsafe Filename ${JSON.stringify(filename.slice(0, 200))}`, { hint: 'the index is damaged or hostile' });
    }
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new BuildError(`${source}: package ${name} has no SHA256`, { hint: 'the index is damaged' });
  }
  const kernelVersion = stanza.get('Kernel-Version');
  return {
    name,
    version: stanza.get('Version') ?? '',
    priority: stanza.get('Priority') ?? 'optional',
    filename,
    size: Number(stanza.get('Size') ?? 0),
    sha256,
    ...(kernelVersion ? { kernelVersion } : {}),
    depends: [...parseRelations(stanza.get('Pre-Depends')), ...parseRelations(stanza.get('Depends'))],
    provides: parseRelations(stanza.get('Provides')).map((group) => group[0]!),
  };
}

/** A Packages index: every entry must name a safe pool file with its sha256. */
export function parsePackages(text: string, source: string): PackageEntry[] {
  return parseStanzas(text, FIELDS).flatMap((stanza) => toEntry(stanza, source, true) ?? []);
}

/** A dpkg status file (e.g. the installer initrd's): installed packages only. */
export function parseStatus(text: string): PackageEntry[] {
  // udpkg (the installer's dpkg) leaves its packages "unpacked"; both count as present
  return parseStanzas(text, FIELDS)
    .filter((stanza) => / (installed|unpacked)$/.test(stanza.get('Status') ?? 'install ok installed'))
    .flatMap((stanza) => toEntry(stanza, 'status', false) ?? []);
}

/** Name → entry; the first entry of a name wins (an index lists one version per name per suite). */
export function indexByName(entries: readonly PackageEntry[]): Map<string, PackageEntry> {
  const out = new Map<string, PackageEntry>();
  for (const entry of entries) if (!out.has(entry.name)) out.set(entry.name, entry);
  return out;
}
