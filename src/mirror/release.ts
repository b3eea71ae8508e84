/**
 * A suite's Release file (the body Debian signs in InRelease / Release.gpg). Pure: parses the fields
 * metalboot relies on and the SHA256 list that every index file is checked against.
 */
import { BuildError } from '../errors.js';
import { parseStanzas } from './deb822.js';

export interface FileSum {
  readonly sha256: string;
  readonly size: number;
}

export interface ReleaseInfo {
  readonly codename: string;
  readonly suite: string;
  readonly components: readonly string[];
  readonly architectures: readonly string[];
  /** Valid-Until as a Date, when the suite has one (stable suites do not). */
  readonly validUntil?: Date;
  readonly acquireByHash: boolean;
  /** Relative path under dists/<suite>/ → its sha256 and size. */
  readonly sums: ReadonlyMap<string, FileSum>;
}

export function parseRelease(text: string, source: string): ReleaseInfo {
  const [fields] = parseStanzas(text);
  if (!fields) throw new BuildError(`${source} is empty`, { hint: 'the upstream mirror returned no Release data' });
  const need = (name: string): string => {
    const value = fields.get(name);
    if (!value) throw new BuildError(`${source} has no ${name} field`, { hint: 'is the mirror URL a Debian archive (…/debian)?' });
    return value;
  };
  const sums = new Map<string, FileSum>();
  for (const line of need('SHA256').split('\n')) {
    const match = /^([0-9a-f]{64})\s+(\d+)\s+(\S+)$/.exec(line.trim());
    if (match) sums.set(match[3]!, { sha256: match[1]!, size: Number(match[2]) });
  }
  const validUntil = fields.get('Valid-Until');
  return {
    codename: need('Codename'),
    suite: fields.get('Suite') ?? need('Codename'),
    components: need('Components').split(/\s+/),
    architectures: need('Architectures').split(/\s+/),
    ...(validUntil ? { validUntil: new Date(validUntil) } : {}),
    acquireByHash: fields.get('Acquire-By-Hash') === 'yes',
    sums,
  };
}

/** The sum Release lists for `path`, or an error naming the file. */
export function requireSum(release: ReleaseInfo, path: string): FileSum {
  const sum = release.sums.get(path);
  if (!sum) throw new BuildError(`the signed Release of ${release.codename} lists no SHA256 for ${path}`, { hint: 'the suite does not carry this index for this architecture' });
  return sum;
}
