/**
 * Fetches a suite's signed Release files and verifies them: InRelease (inline) and Release +
 * Release.gpg (detached; the installer's net-retriever reads these), both against the keyring, and
 * the same content in both. The parsed Release comes from the verified body only.
 */
import { BuildError } from '../errors.js';
import { fetchSmall } from './fetch.js';
import { suiteDir } from './index-files.js';
import type { ReleaseInfo } from './release.js';
import { parseRelease } from './release.js';
import { verifyDetached, verifyInRelease } from './signature.js';

const MAX_RELEASE_BYTES = 16 << 20;

export interface SignedSuite {
  readonly inRelease: Buffer;
  readonly release: Buffer;
  readonly releaseGpg: Buffer;
  readonly info: ReleaseInfo;
}

export function upstreamUrl(upstream: string, path: string): string {
  return `${upstream.replace(/\/+$/, '')}/${path}`;
}

export async function fetchSignedSuite(upstream: string, release: string, keyring: string, now: Date): Promise<SignedSuite> {
  const url = (name: string): string => upstreamUrl(upstream, `${suiteDir(release)}/${name}`);
  const inRelease = await fetchSmall(url('InRelease'), MAX_RELEASE_BYTES);
  const releaseFile = await fetchSmall(url('Release'), MAX_RELEASE_BYTES);
  const releaseGpg = await fetchSmall(url('Release.gpg'), 1 << 20);
  const body = await verifyInRelease(inRelease, keyring, url('InRelease'));
  await verifyDetached(releaseFile, releaseGpg, keyring, url('Release'));
  if (!body.equals(releaseFile)) {
    throw new BuildError(`${url('InRelease')} and ${url('Release')} differ`, { hint: 'the mirror is mid-sync; try again in a few minutes' });
  }
  const info = parseRelease(body.toString('utf8'), url('InRelease'));
  if (info.codename !== release && info.suite !== release) {
    throw new BuildError(`${url('InRelease')} is for ${info.codename} (${info.suite}), not ${release}`, { hint: 'check the image\'s release' });
  }
  if (info.validUntil && info.validUntil.getTime() < now.getTime()) {
    throw new BuildError(`${url('InRelease')} expired on ${info.validUntil.toISOString()} (Valid-Until)`, { hint: 'the mirror is stale: the installer would refuse it; use a mirror that is kept up to date' });
  }
  return { inRelease, release: releaseFile, releaseGpg, info };
}
