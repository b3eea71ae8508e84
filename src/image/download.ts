/**
 * Downloads into `<stateDir>/cache/<sha256>`: streamed to a temp file while hashed, checked against
 * the expected sha256 and Content-Length, then renamed. A mismatch or truncation removes the temp
 * file and throws: nothing is written. A cached file with the expected hash is reused.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BuildError } from '../errors.js';
import { isFile } from '../util/fs.js';
import { cacheDir, cacheFile, streamToTmp } from './store.js';

export interface DownloadProgress {
  readonly label: string;
  readonly received: number;
  /** Content-Length, when the server sent one. */
  readonly total: number | undefined;
  readonly done: boolean;
}

export interface DownloadOptions {
  readonly stateDir: string;
  /** Expected lower-case hex sha256; checked before anything is kept. */
  readonly sha256?: string;
  readonly label?: string;
  readonly onProgress?: (progress: DownloadProgress) => void;
}

/** Opens the body only when first read, so a connection error before then is not left unhandled. */
async function* body(stream: ReadableStream<Uint8Array>): AsyncGenerator<Buffer> {
  yield* Readable.fromWeb(stream as WebReadableStream<Uint8Array>);
}

/** Fetches `url` into the cache and returns the cached path and its sha256. */
export async function download(url: string, options: DownloadOptions): Promise<{ path: string; sha256: string; size: number }> {
  const { stateDir, sha256: expected } = options;
  const label = options.label ?? url;
  if (expected && (await isFile(cacheFile(stateDir, expected)))) {
    const size = (await stat(cacheFile(stateDir, expected))).size;
    return { path: cacheFile(stateDir, expected), sha256: expected, size };
  }
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    throw new BuildError(`cannot download ${url}: ${(error as Error).message}`, { cause: error, hint: 'check the mirror URL and the network' });
  }
  if (!response.ok || !response.body) {
    throw new BuildError(`cannot download ${url}: HTTP ${response.status}`, { hint: response.status === 404 ? 'the file is not on the mirror: check release, version and arch' : 'check the mirror URL' });
  }
  const lengthHeader = response.headers.get('content-length');
  const total = lengthHeader === null ? undefined : Number(lengthHeader);
  let received = 0;
  let tmp: string | undefined;
  try {
    const streamed = await streamToTmp(stateDir, 'download', body(response.body), (bytes) => {
      received = bytes;
      options.onProgress?.({ label, received, total, done: false });
    });
    tmp = streamed.tmp;
    if (total !== undefined && received !== total) throw new BuildError(`download of ${url} was truncated: got ${received} of ${total} bytes`, { hint: 'retry the build; if it persists, the mirror is broken' });
    const { sha256 } = streamed;
    if (expected && sha256 !== expected) {
      throw new BuildError(`checksum mismatch for ${url}: expected sha256 ${expected}, got ${sha256}`, { hint: 'the mirror may be mid-sync or tampered with; retry later or use another mirror' });
    }
    options.onProgress?.({ label, received, total, done: true });
    await mkdir(cacheDir(stateDir), { recursive: true });
    await rename(tmp, cacheFile(stateDir, sha256));
    return { path: cacheFile(stateDir, sha256), sha256, size: received };
  } catch (error) {
    if (tmp !== undefined) await rm(tmp, { force: true });
    if (error instanceof BuildError) throw error;
    throw new BuildError(`download of ${url} was truncated or failed after ${received} bytes: ${(error as Error).message}`, { cause: error, hint: 'retry the build; if it persists, the mirror is broken' });
  }
}
