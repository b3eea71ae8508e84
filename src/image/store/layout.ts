/**
 * Where everything lives under `server.state_dir` (docs/architecture.md repeats this list):
 *
 *   assets/<sha256>                         immutable blobs, content-addressed (the URL adds a file name)
 *   images/<name>.json                      manifests (../manifest.ts), replaced by rename
 *   tmp/                                    partial writes, renamed into place when complete (names carry
 *                                           the writer's pid: the server removes those of dead processes, store/stale-tmp.ts)
 *   cache/<sha256>                          verified downloads (../download.ts), reused by later builds
 *   cache/linuxkit/<sha256>/                kernel, initrd.img, cmdline unpacked from a LinuxKit tarball
 *   cache/linuxkit-build/<image>-<arch>/    `linuxkit build` output (rebuilt on every build)
 *
 * Kept there by other modules (named here so one place lists every directory):
 *   secret                                  the server secret behind device tokens (config/secret.ts)
 *   events.db, events.db-wal, events.db-shm boot events (events/store.ts)
 *   qemu/<device>/                          QEMU device state and console logs (providers/qemu)
 *
 * Writers write under tmp/ and rename, so a reader never sees a partial file. Pure path functions.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MetalbootError } from '../../errors.js';

export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** A plain file name: used in asset URLs and as the iPXE image name. */
export const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

export function assetsDir(stateDir: string): string {
  return join(stateDir, 'assets');
}

export function assetFile(stateDir: string, sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new MetalbootError(`not a sha256: ${JSON.stringify(sha256)}`);
  return join(assetsDir(stateDir), sha256);
}

export function imagesDir(stateDir: string): string {
  return join(stateDir, 'images');
}

export function manifestFile(stateDir: string, name: string): string {
  return join(imagesDir(stateDir), `${name}.json`);
}

export function tmpDir(stateDir: string): string {
  return join(stateDir, 'tmp');
}

export function cacheDir(stateDir: string): string {
  return join(stateDir, 'cache');
}

/** A verified download, by the sha256 of its content. */
export function cacheFile(stateDir: string, sha256: string): string {
  return join(cacheDir(stateDir), sha256);
}

/** A LinuxKit tarball unpacked, by the tarball's sha256. */
export function linuxkitTarballDir(stateDir: string, sha256: string): string {
  return join(cacheDir(stateDir), 'linuxkit', sha256);
}

/** Where `linuxkit build` writes one image's output for one arch. */
export function linuxkitBuildDir(stateDir: string, image: string, arch: string): string {
  return join(cacheDir(stateDir), 'linuxkit-build', `${image}-${arch}`);
}

/** A fresh temp path inside the store (same filesystem as the destination, so rename is atomic). */
export async function tmpPath(stateDir: string, label: string): Promise<string> {
  await mkdir(tmpDir(stateDir), { recursive: true });
  return join(tmpDir(stateDir), `${label}.${process.pid}.${randomBytes(6).toString('hex')}`);
}
