/**
 * What one architecture of an image needs from the suite: the installer's udebs (for the kernel of
 * the image's initrd) and the debs apt resolves for the install, as pool files with their signed
 * sums. Reads the verified indexes from the cache; resolves with apt over the new generation.
 */
import { createReadStream } from 'node:fs';
import { BuildError } from '../errors.js';
import { decompressStream } from '../initrd/compression.js';
import { resolvePoolFiles } from './apt-resolve.js';
import type { FileWant } from './fetch.js';
import { cachePath } from './fetch.js';
import { packagesIndex } from './index-files.js';
import { readInitrdFacts } from './initrd-facts.js';
import type { PackageEntry } from './packages.js';
import { parsePackages } from './packages.js';
import type { PreseedAsks } from './preseed-asks.js';
import { selectUdebs } from './udebs.js';
import { wantedPackages } from './wanted.js';

export interface ArchPlanInput {
  readonly release: string;
  readonly debArch: string;
  readonly initrd: string;
  readonly indexes: readonly FileWant[];
  readonly cacheDir: string;
  readonly generation: string;
  readonly keyring: string;
  readonly asks: PreseedAsks;
}

export interface ArchPlan {
  readonly abi: string;
  readonly udebs: readonly FileWant[];
  readonly debs: readonly FileWant[];
  readonly unresolved: readonly string[];
}

async function readIndex(input: ArchPlanInput, flavour: 'binary' | 'debian-installer'): Promise<PackageEntry[]> {
  const file = packagesIndex(input.indexes, input.release, 'main', flavour, input.debArch);
  if (!file) throw new BuildError(`the suite ${input.release} has no main ${flavour} Packages index for ${input.debArch}`, { hint: 'check the image\'s release and arch' });
  const compression = file.path.endsWith('.xz') ? 'xz' : 'gzip';
  const chunks: Buffer[] = [];
  for await (const chunk of decompressStream(createReadStream(cachePath(input.cacheDir, file.sha256)), compression)) chunks.push(chunk as Buffer);
  return parsePackages(Buffer.concat(chunks).toString('utf8'), file.path);
}

function toWant(entry: PackageEntry): FileWant {
  return { path: entry.filename, sha256: entry.sha256, size: entry.size };
}

export async function planArch(input: ArchPlanInput): Promise<ArchPlan> {
  const facts = await readInitrdFacts(input.initrd);
  const udebIndex = await readIndex(input, 'debian-installer');
  const debIndex = await readIndex(input, 'binary');
  const udebs = selectUdebs(udebIndex, facts.installed, facts.abi);
  if (!udebIndex.some((entry) => entry.kernelVersion === facts.abi)) {
    throw new BuildError(`the suite ${input.release} has no installer modules for kernel ${facts.abi}, the kernel of the image's initrd`, {
      hint: 'the installer image and the archive are from different point releases: rebuild the image from the same mirror (metalboot build), then run metalboot mirror again',
    });
  }
  const wanted = wantedPackages(debIndex, input.debArch, input.asks);
  if (wanted.absent.length > 0) {
    throw new BuildError(`the suite ${input.release} (${input.debArch}) has no package ${wanted.absent.join(', ')}, which the install needs`, { hint: 'fix the names in the preseed (pkgsel/include, tasksel/first)' });
  }
  const paths = await resolvePoolFiles({ root: input.generation, suite: input.release, component: 'main', debArch: input.debArch, keyring: input.keyring }, wanted.sets);
  const byFilename = new Map(debIndex.map((entry) => [entry.filename, entry]));
  const debs = paths.map((path) => {
    const entry = byFilename.get(path);
    if (!entry) throw new BuildError(`apt chose ${path}, which the verified Packages index does not list`, { hint: 'this is a bug in metalboot mirror; please report it' });
    return toWant(entry);
  });
  return { abi: facts.abi, udebs: udebs.udebs.map(toWant), debs, unresolved: udebs.unresolved };
}
