/**
 * Where builder inputs come from: a local path or an http(s) URL. Remote files are downloaded into
 * the cache; local files are used in place. Either way the caller may demand a sha256.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../errors.js';
import type { DownloadProgress } from './download.js';
import { download } from './download.js';
import { sha256File } from './store.js';
import { trimBase } from '../util/url.js';

export interface FetchContext {
  readonly stateDir: string;
  readonly onProgress?: (progress: DownloadProgress) => void;
}

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Joins a mirror base (URL or directory) and a relative path. */
export function joinLocation(base: string, relative: string): string {
  return isUrl(base) ? `${trimBase(base)}/${relative}` : join(base, relative);
}

/** A local path for `location`, downloaded (and verified) when it is a URL, verified when local. */
export async function fetchFile(ctx: FetchContext, location: string, sha256?: string): Promise<{ path: string; sha256: string; size: number }> {
  if (isUrl(location)) {
    return download(location, { stateDir: ctx.stateDir, label: location.split('/').slice(-2).join('/'), ...(sha256 ? { sha256 } : {}), ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}) });
  }
  let info: { sha256: string; size: number };
  try {
    info = await sha256File(location);
  } catch (error) {
    throw new BuildError(`cannot read ${location}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
  if (sha256 && info.sha256 !== sha256) {
    throw new BuildError(`checksum mismatch for ${location}: expected sha256 ${sha256}, got ${info.sha256}`, { hint: 'the local mirror copy is damaged or out of date' });
  }
  return { path: location, ...info };
}

/** A small text file (checksum lists, .treeinfo). */
export async function fetchText(ctx: FetchContext, location: string): Promise<string> {
  const { path } = await fetchFile(ctx, location);
  return readFile(path, 'utf8');
}
