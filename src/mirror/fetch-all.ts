/**
 * Brings a list of files into the cache: those already there are reused, the rest are fetched a
 * few at a time. Files the upstream lacks (404) are collected, not thrown, so that one run names
 * them all; any other failure stops the run.
 */
import type { FileWant } from './fetch.js';
import { UpstreamMissingError, fetchIntoCache, isCached } from './fetch.js';
import { upstreamUrl } from './suite.js';
import type { MirrorProgress } from './types.js';

export interface FetchTally {
  readonly fetched: FileWant[];
  readonly reused: FileWant[];
  readonly missing: FileWant[];
}

export async function fetchAll(upstream: string, files: readonly FileWant[], cacheDir: string, options: { concurrency: number; progress?: MirrorProgress }): Promise<FetchTally> {
  const tally: FetchTally = { fetched: [], reused: [], missing: [] };
  const todo: FileWant[] = [];
  for (const file of files) {
    if (await isCached(cacheDir, file)) tally.reused.push(file);
    else todo.push(file);
  }
  options.progress?.start(todo.reduce((sum, file) => sum + file.size, 0), todo.length);
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < todo.length) {
      const file = todo[next++]!;
      const label = file.path.slice(file.path.lastIndexOf('/') + 1);
      try {
        await fetchIntoCache(upstreamUrl(upstream, file.path), file, cacheDir, (bytes) => options.progress?.advance(bytes, label));
        tally.fetched.push(file);
      } catch (error) {
        if (error instanceof UpstreamMissingError) {
          tally.missing.push(file);
          options.progress?.advance(file.size, label);
        } else failure ??= error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    options.progress?.stop();
  }
  if (failure !== undefined) throw failure;
  return tally;
}
