/**
 * `metalboot mirror <image>`: a partial Debian mirror holding what the image's install needs.
 * Debian's signed InRelease/Release and indexes are kept verbatim (verified with gpgv and their
 * sha256), so the installer and the installed system trust the mirror through the same Debian
 * keyring they already carry; only the needed pool files are hosted, each checked against the
 * signed Packages sha256. Built into a new generation and swapped in atomically (layout.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DebianImageConfig } from '../config/types.js';
import { BuildError } from '../errors.js';
import { DEBIAN_ARCH } from '../image/debian.js';
import { assetFile, readManifest } from '../image/store.js';
import type { FileWant } from './fetch.js';
import { cachePath } from './fetch.js';
import { fetchAll } from './fetch-all.js';
import { byHashPath, indexFiles, RELEASE_FILES, suiteDir } from './index-files.js';
import { commitGeneration, createGeneration, currentGeneration, discardGeneration, placeFile } from './layout.js';
import { MIRROR_RECORD } from './paths.js';
import { planArch } from './plan.js';
import { findComplete, fingerprintOf } from './reuse.js';
import type { PreseedAsks } from './preseed-asks.js';
import { fetchSignedSuite } from './suite.js';
import type { MirrorArchFacts, MirrorProgress, MirrorRecord, MirrorSummary } from './types.js';

export interface MirrorBuildOptions {
  readonly image: DebianImageConfig;
  /** Where the image was built (its manifest names the installer initrd). */
  readonly stateDir: string;
  readonly upstream: string;
  readonly out: string;
  readonly cacheDir: string;
  readonly keyring: string;
  readonly asks: PreseedAsks;
  readonly allowMissing?: boolean;
  readonly concurrency?: number;
  readonly progress?: MirrorProgress;
}

const sum = (files: readonly FileWant[]): number => files.reduce((total, file) => total + file.size, 0);
const seconds = (started: number): number => Math.round((Date.now() - started) / 100) / 10;

function unchangedSummary(options: MirrorBuildOptions, generation: string, record: MirrorRecord, started: number): MirrorSummary {
  return {
    image: record.image, release: record.release, upstream: record.upstream, out: options.out, generation, arches: record.arches,
    files: record.files.length + RELEASE_FILES.length, bytes: record.bytes,
    fetched: { files: 0, bytes: 0 }, reused: { files: record.files.length, bytes: sum(record.files) },
    missing: [], unresolved: record.unresolved, unchanged: true, seconds: seconds(started),
  };
}

function uniqueByPath(files: readonly FileWant[]): FileWant[] {
  return [...new Map(files.map((file) => [file.path, file])).values()].sort((a, b) => a.path.localeCompare(b.path));
}

export async function buildMirror(options: MirrorBuildOptions): Promise<MirrorSummary> {
  const started = Date.now();
  const { image, upstream, cacheDir } = options;
  if (!/^https?:\/\//.test(upstream)) throw new BuildError(`image ${image.name}: the mirror to build from must be an http(s) URL, got ${JSON.stringify(upstream)}`, { hint: 'set images.<name>.mirror to e.g. https://deb.debian.org/debian' });
  const manifest = await readManifest(options.stateDir, image.name);
  await currentGeneration(options.out); // fails now, not after the downloads, when --out is not a mirror
  const suite = await fetchSignedSuite(upstream, image.release, options.keyring, new Date());
  const debArches = image.arches.map((arch) => DEBIAN_ARCH[arch]);
  for (const debArch of debArches) {
    if (!suite.info.architectures.includes(debArch)) throw new BuildError(`the suite ${image.release} has no ${debArch} packages`, { hint: 'check the image\'s arch' });
  }
  const initrds = Object.fromEntries(image.arches.map((arch) => [arch, manifest.variants[arch]?.initrd.sha256 ?? '']));
  const fingerprint = fingerprintOf({ upstream, inRelease: suite.inRelease, initrds, asks: options.asks });
  const same = await findComplete(options.out, fingerprint);
  if (same) return unchangedSummary(options, same.generation, same.record, started);
  const indexes = indexFiles(suite.info, image.release, debArches);
  const indexTally = await fetchAll(upstream, indexes, cacheDir, { concurrency: 4 });
  if (indexTally.missing.length > 0) throw new BuildError(`the upstream mirror lacks index files its Release lists: ${indexTally.missing.map((f) => f.path).join(', ')}`, { hint: 'the mirror is mid-sync; try again later' });
  const generation = await createGeneration(options.out);
  try {
    await mkdir(join(generation, suiteDir(image.release)), { recursive: true });
    for (const [name, data] of [[RELEASE_FILES[0], suite.inRelease], [RELEASE_FILES[1], suite.release], [RELEASE_FILES[2], suite.releaseGpg]] as const) {
      await writeFile(join(generation, suiteDir(image.release), name), data);
    }
    for (const file of indexes) {
      await placeFile(generation, file.path, cachePath(cacheDir, file.sha256));
      if (suite.info.acquireByHash) await placeFile(generation, byHashPath(file), cachePath(cacheDir, file.sha256));
    }
    const arches: MirrorArchFacts[] = [];
    const pool: FileWant[] = [];
    const unresolved = new Set<string>();
    for (const arch of image.arches) {
      const variant = manifest.variants[arch];
      if (!variant) throw new BuildError(`image ${image.name} has no ${arch} build`, { hint: `run: metalboot build ${image.name}` });
      const debArch = DEBIAN_ARCH[arch];
      const plan = await planArch({
        release: image.release, debArch, initrd: assetFile(options.stateDir, variant.initrd.sha256), indexes, cacheDir, generation, keyring: options.keyring, asks: options.asks,
      });
      arches.push({ arch, debArch, abi: plan.abi, udebs: plan.udebs.length, debs: plan.debs.length });
      pool.push(...plan.udebs, ...plan.debs);
      for (const item of plan.unresolved) unresolved.add(item);
    }
    const poolFiles = uniqueByPath(pool);
    const tally = await fetchAll(upstream, poolFiles, cacheDir, { concurrency: options.concurrency ?? 4, ...(options.progress ? { progress: options.progress } : {}) });
    const missing = tally.missing.map((file) => file.path).sort();
    if (missing.length > 0 && !options.allowMissing) {
      throw new BuildError(`the upstream mirror lacks ${missing.length} of the ${poolFiles.length} files the install needs (HTTP 404), e.g. ${missing.slice(0, 5).join(', ')}`, {
        hint: 'an install from this mirror would stop at the first of them; use a complete upstream mirror (or --allow-missing to build and inspect an incomplete one)',
      });
    }
    const missingSet = new Set(missing);
    const served = poolFiles.filter((file) => !missingSet.has(file.path));
    for (const file of served) await placeFile(generation, file.path, cachePath(cacheDir, file.sha256));
    const all = [...indexes, ...served];
    const bytes = sum(all) + suite.inRelease.length + suite.release.length + suite.releaseGpg.length;
    const record: MirrorRecord = {
      schema: 1, fingerprint, image: image.name, release: image.release, upstream, arches, initrds, files: all, missing, unresolved: [...unresolved].sort(), bytes,
    };
    await writeFile(join(generation, MIRROR_RECORD), `${JSON.stringify(record, null, 2)}\n`);
    await commitGeneration(options.out, generation);
    return {
      image: image.name,
      release: image.release,
      upstream,
      out: options.out,
      generation,
      arches,
      files: all.length + RELEASE_FILES.length,
      bytes,
      fetched: { files: indexTally.fetched.length + tally.fetched.length, bytes: sum(indexTally.fetched) + sum(tally.fetched) },
      reused: { files: indexTally.reused.length + tally.reused.length, bytes: sum(indexTally.reused) + sum(tally.reused) },
      missing,
      unresolved: record.unresolved,
      unchanged: false,
      seconds: seconds(started),
    };
  } catch (error) {
    await discardGeneration(generation);
    throw error;
  }
}
