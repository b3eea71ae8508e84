/**
 * Whether the current mirror already is what a run would build: same signed suite (InRelease
 * sha256), same installer initrds, same preseed asks, same upstream. Then a re-run swaps nothing
 * and resolves nothing; it only re-checked the signed Release files.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentGeneration } from './layout.js';
import { MIRROR_RECORD } from './paths.js';
import type { PreseedAsks } from './preseed-asks.js';
import type { MirrorRecord } from './types.js';

export interface FingerprintInput {
  readonly upstream: string;
  readonly inRelease: Buffer;
  readonly initrds: Readonly<Record<string, string>>;
  readonly asks: PreseedAsks;
}

export function fingerprintOf(input: FingerprintInput): string {
  const text = JSON.stringify([input.upstream, createHash('sha256').update(input.inRelease).digest('hex'), Object.entries(input.initrds).sort(), input.asks]);
  return createHash('sha256').update(text).digest('hex');
}

/** The record of the generation `out` points at, when it has the same fingerprint and lacks nothing. */
export async function findComplete(out: string, fingerprint: string): Promise<{ generation: string; record: MirrorRecord } | undefined> {
  const generation = await currentGeneration(out);
  if (!generation) return undefined;
  try {
    const record = JSON.parse(await readFile(join(generation, MIRROR_RECORD), 'utf8')) as MirrorRecord;
    return record.fingerprint === fingerprint && record.missing.length === 0 ? { generation, record } : undefined;
  } catch {
    return undefined;
  }
}
