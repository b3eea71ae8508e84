/**
 * The image store under `server.state_dir`:
 *   assets/<sha256>        immutable blobs (content-addressed; the URL adds a file name)
 *   images/<name>.json     manifests (see manifest.ts)
 *   tmp/                   partial writes, renamed into place when complete
 * Writers always write to tmp/ and rename, so readers never see a partial file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BuildError, MetalbootError } from '../errors.js';
import type { Arch } from '../config/types.js';
import { IMAGE_TYPES } from '../config/types.js';
import type { AssetRef, ImageManifest, ManifestVariant } from './manifest.js';
import { MANIFEST_SCHEMA } from './manifest.js';

export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

export function assetsDir(stateDir: string): string {
  return join(stateDir, 'assets');
}
export function assetFile(stateDir: string, sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new MetalbootError(`not a sha256: ${JSON.stringify(sha256)}`);
  return join(stateDir, 'assets', sha256);
}
export function manifestFile(stateDir: string, name: string): string {
  return join(stateDir, 'images', `${name}.json`);
}
export function tmpDir(stateDir: string): string {
  return join(stateDir, 'tmp');
}

/** A fresh temp path inside the store (same filesystem as the destination, so rename is atomic). */
export async function tmpPath(stateDir: string, label: string): Promise<string> {
  await mkdir(tmpDir(stateDir), { recursive: true });
  return join(tmpDir(stateDir), `${label}.${process.pid}.${randomBytes(6).toString('hex')}`);
}

export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
    }
    yield* [];
  });
  return { sha256: hash.digest('hex'), size };
}

export interface StreamedAsset {
  readonly tmp: string;
  readonly sha256: string;
  readonly size: number;
}

/**
 * Writes `chunks` to a temp file in the store, hashing the very bytes it writes (one read, so the
 * hash always matches the file). `onChunk` sees the running byte count. The caller commits or removes it.
 */
export async function streamToTmp(
  stateDir: string,
  label: string,
  chunks: AsyncIterable<Buffer>,
  onChunk?: (receivedBytes: number) => void,
): Promise<StreamedAsset> {
  const tmp = await tmpPath(stateDir, label);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      Readable.from(chunks, { objectMode: false }),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          onChunk?.(size);
          yield chunk;
        }
      },
      createWriteStream(tmp, { highWaterMark: 1 << 20 }),
    );
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return { tmp, sha256: hash.digest('hex'), size };
}

/** Opens `path` only when first read (after streamToTmp has its temp file), so an open error is never unhandled. */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  yield* createReadStream(path, { highWaterMark: 1 << 20 });
}

/** Copies a local file into the store by content (hashed while copied); returns its AssetRef under `name`. */
export async function addAssetFromFile(stateDir: string, source: string, name: string): Promise<AssetRef> {
  if (!ASSET_NAME.test(name)) throw new BuildError(`asset name ${JSON.stringify(name)} must be a plain file name`);
  const { tmp, sha256, size } = await streamToTmp(stateDir, name, fileChunks(source));
  await commitAsset(stateDir, tmp, sha256);
  return { name, sha256, size };
}

/** Moves an already-hashed temp file into place (used by builders that stream their output). */
export async function commitAsset(stateDir: string, tmp: string, sha256: string): Promise<void> {
  const target = assetFile(stateDir, sha256);
  await mkdir(assetsDir(stateDir), { recursive: true });
  if (await isFile(target)) await rm(tmp, { force: true });
  else await rename(tmp, target);
}

export async function writeManifest(stateDir: string, manifest: ImageManifest): Promise<string> {
  const file = manifestFile(stateDir, manifest.name);
  await mkdir(join(stateDir, 'images'), { recursive: true });
  const tmp = await tmpPath(stateDir, `${manifest.name}.json`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}

export async function readManifest(stateDir: string, name: string): Promise<ImageManifest> {
  const file = manifestFile(stateDir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MetalbootError(`image "${name}" has not been built (no ${file})`, { code: 'E_NOT_BUILT', hint: `run: metalboot build ${name}` });
    }
    throw error;
  }
  return parseManifest(text, file);
}

/** Validates manifest JSON (from disk or an upload). Throws MetalbootError naming the field. */
export function parseManifest(text: string, source: string): ImageManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MetalbootError(`${source}: manifest is not JSON: ${(error as Error).message}`, { code: 'E_MANIFEST' });
  }
  const bad = (field: string, why: string): never => {
    throw new MetalbootError(`${source}: manifest field ${field} ${why}`, { code: 'E_MANIFEST' });
  };
  const m = data as Record<string, unknown>;
  if (typeof m !== 'object' || m === null) bad('(top)', 'must be an object');
  if (m.schema !== MANIFEST_SCHEMA) bad('schema', `must be ${MANIFEST_SCHEMA}`);
  if (typeof m.name !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,62}$/.test(m.name)) bad('name', 'must be an image name');
  if (!(IMAGE_TYPES as readonly unknown[]).includes(m.type)) bad('type', `must be one of ${IMAGE_TYPES.join(', ')}`);
  if (typeof m.installer !== 'boolean') bad('installer', 'must be true or false');
  const variants = m.variants as Record<string, unknown>;
  if (typeof variants !== 'object' || variants === null) bad('variants', 'must be an object');
  for (const [arch, v] of Object.entries(variants)) {
    if (arch !== 'x86_64' && arch !== 'arm64') bad(`variants.${arch}`, 'is not an architecture (x86_64, arm64)');
    const variant = v as ManifestVariant;
    if (variant?.arch !== (arch as Arch)) bad(`variants.${arch}.arch`, `must be ${arch}`);
    for (const key of ['kernel', 'initrd'] as const) {
      const asset = variant[key] as AssetRef | undefined;
      if (!asset || typeof asset.name !== 'string' || !ASSET_NAME.test(asset.name)) bad(`variants.${arch}.${key}.name`, 'must be a plain file name');
      if (!SHA256_HEX.test(asset!.sha256)) bad(`variants.${arch}.${key}.sha256`, 'must be 64 lower-case hex digits');
      if (!Number.isSafeInteger(asset!.size) || asset!.size < 0) bad(`variants.${arch}.${key}.size`, 'must be a byte count');
    }
    if (!['gzip', 'xz', 'zstd', 'lz4', 'bzip2', 'none'].includes(variant.compression)) bad(`variants.${arch}.compression`, 'is not a known compression');
    if (!Array.isArray(variant.cmdline) || !variant.cmdline.every((t) => typeof t === 'string')) bad(`variants.${arch}.cmdline`, 'must be a list of strings');
  }
  return data as ImageManifest;
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
