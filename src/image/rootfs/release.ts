/**
 * The mirror's state, for the cache key and SOURCE_DATE_EPOCH: the suite's InRelease (or Release)
 * file. Its Date changes whenever the archive does; a snapshot.debian.org mirror never changes.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BuildError } from '../../errors.js';

export interface MirrorRelease {
  /** sha256 of the Release file as fetched. */
  readonly sha256: string;
  /** Its `Date:` in seconds since the epoch: the build's SOURCE_DATE_EPOCH. */
  readonly epoch: number;
}

const MAX_RELEASE_BYTES = 4 << 20;

/** Reads `Date:` from a Release/InRelease text. Pure. */
export function parseReleaseDate(text: string, source: string): number {
  const line = /^Date: *(.+)$/m.exec(text)?.[1];
  const ms = line === undefined ? Number.NaN : Date.parse(line);
  if (!Number.isFinite(ms)) throw new BuildError(`${source} has no readable Date: field`, { hint: 'is the mirror URL and the suite right?' });
  return Math.floor(ms / 1000);
}

export async function fetchMirrorRelease(mirror: string, suite: string): Promise<MirrorRelease> {
  const base = `${mirror.replace(/\/+$/, '')}/dists/${suite}`;
  let text: string | undefined;
  let tried = '';
  for (const name of ['InRelease', 'Release']) {
    const url = `${base}/${name}`;
    tried = url;
    text = await readRelease(url);
    if (text !== undefined) break;
  }
  if (text === undefined) {
    throw new BuildError(`${tried} (nor InRelease) could not be read`, { hint: `check images.*.mirror and suite: is "${suite}" on that mirror?` });
  }
  return { sha256: createHash('sha256').update(text).digest('hex'), epoch: parseReleaseDate(text, tried) };
}

async function readRelease(url: string): Promise<string | undefined> {
  if (url.startsWith('file://')) return readFile(fileURLToPath(url), 'utf8').catch(() => undefined);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new BuildError(`cannot reach the mirror at ${url}: ${(error as Error).message}`, { cause: error, hint: 'check the mirror URL and the network' });
  }
  if (response.status === 404) return undefined;
  if (!response.ok) throw new BuildError(`${url} answered HTTP ${response.status}`, { hint: 'check the mirror URL' });
  const text = await response.text();
  if (text.length > MAX_RELEASE_BYTES) throw new BuildError(`${url} is larger than a Release file can be`);
  return text;
}
