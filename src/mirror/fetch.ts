/**
 * Bounded HTTP fetches from the upstream archive. Everything from the network is hostile: each
 * file has a byte limit (its signed size) and an idle timeout, is hashed while streamed to a temp
 * file in the cache, and is renamed into `<cache>/<sha256>` only when size and sha256 match what
 * the signed indexes say. A truncated, oversized or altered file never enters the cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../errors.js';

export interface FileWant {
  /** Path relative to the archive root (e.g. pool/main/a/adduser/adduser_3.134_all.deb). */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** The upstream answered 404: the file is not on that mirror. */
export class UpstreamMissingError extends BuildError {
  constructor(readonly url: string) {
    super(`the upstream mirror has no ${url} (HTTP 404)`, { hint: 'the mirror is incomplete or mid-sync; try again later or use another mirror' });
  }
}

const IDLE_TIMEOUT_MS = 60_000;

export function cachePath(cacheDir: string, sha256: string): string {
  return join(cacheDir, sha256);
}

async function open(url: string, controller: AbortController): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: controller.signal });
  } catch (error) {
    throw new BuildError(`cannot fetch ${url}: ${(error as Error).message}`, { cause: error, hint: 'check the mirror URL and the network' });
  }
  if (response.status === 404) throw new UpstreamMissingError(url);
  if (!response.ok || !response.body) throw new BuildError(`cannot fetch ${url}: HTTP ${response.status}`, { hint: 'the mirror refused the request; try again later' });
  return response;
}

/** Reads the body of `url` into memory, refusing more than `maxBytes`. For Release files. */
export async function fetchSmall(url: string, maxBytes: number): Promise<Buffer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
  try {
    const response = await open(url, controller);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) {
        controller.abort();
        throw new BuildError(`${url} is larger than ${maxBytes} bytes`, { hint: 'that is not a Debian Release file; check the mirror URL' });
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the cache already holds `want` (named by its sha256, with the right size). */
export async function isCached(cacheDir: string, want: FileWant): Promise<boolean> {
  try {
    return (await stat(cachePath(cacheDir, want.sha256))).size === want.size;
  } catch {
    return false;
  }
}

/** Streams `url` into the cache as `want`; `onBytes` sees each chunk's length. */
export async function fetchIntoCache(url: string, want: FileWant, cacheDir: string, onBytes?: (bytes: number) => void): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `.partial-${want.sha256.slice(0, 16)}-${randomBytes(4).toString('hex')}`);
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const response = await open(url, controller);
    const out = createWriteStream(tmp);
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
        size += chunk.length;
        if (size > want.size) {
          controller.abort();
          throw new BuildError(`${url} is longer than the ${want.size} bytes its signed index lists`, { hint: 'the mirror serves a different file than it signed; try again later or use another mirror' });
        }
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        onBytes?.(chunk.length);
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    }
    if (size !== want.size) throw new BuildError(`${url} was truncated: got ${size} of ${want.size} bytes`, { hint: 'the connection dropped; run the command again (it fetches only what is missing)' });
    const sha256 = hash.digest('hex');
    if (sha256 !== want.sha256) throw new BuildError(`checksum mismatch for ${url}: the signed index says sha256 ${want.sha256}, the file has ${sha256}`, { hint: 'the mirror may be mid-sync or tampered with; try again later or use another mirror' });
    await rename(tmp, cachePath(cacheDir, want.sha256));
  } catch (error) {
    if (error instanceof BuildError) throw error;
    const why = controller.signal.aborted ? `no data for ${IDLE_TIMEOUT_MS / 1000} s` : (error as Error).message;
    throw new BuildError(`download of ${url} failed after ${size} bytes: ${why}`, { cause: error, hint: 'run the command again: it fetches only what is missing' });
  } finally {
    clearTimeout(timer);
    await rm(tmp, { force: true });
  }
}
