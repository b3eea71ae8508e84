/** A built "debian" image in a state dir: a manifest whose initrd has one kernel's modules and a udpkg status. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DebianImageConfig } from '../../src/config/types.js';
import { cpioChunks, withParents } from '../../src/initrd/cpio.js';
import type { CpioEntry } from '../../src/initrd/cpio.js';
import { MANIFEST_SCHEMA } from '../../src/image/manifest.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { ABI } from './fake-archive.js';

export const IMAGE_NAME = 'debian12';

/** The initrd's dpkg status: the installer's own udpkg marks its packages "unpacked". */
const STATUS = 'Package: anna\nStatus: install ok unpacked\nVersion: 1.91\n\nPackage: di-utils\nStatus: install ok unpacked\nVersion: 1.146\n';

export async function createFakeImage(stateDir: string, upstream: string): Promise<DebianImageConfig> {
  const entries: CpioEntry[] = withParents([
    { type: 'file', name: `lib/modules/${ABI}/kernel/fs/ext4.ko`, mode: 0o644, data: Buffer.from('module') },
    { type: 'file', name: 'var/lib/dpkg/status', mode: 0o644, data: Buffer.from(STATUS) },
  ]);
  const parts: Buffer[] = [];
  for await (const chunk of cpioChunks(entries)) parts.push(chunk);
  const work = await mkdtemp(join(tmpdir(), 'metalboot-fake-initrd-'));
  try {
    await writeFile(join(work, 'initrd.gz'), gzipSync(Buffer.concat(parts)));
    await writeFile(join(work, 'linux'), 'kernel');
    const initrd = await addAssetFromFile(stateDir, join(work, 'initrd.gz'), 'initrd.gz');
    const kernel = await addAssetFromFile(stateDir, join(work, 'linux'), 'linux');
    await writeManifest(stateDir, {
      schema: MANIFEST_SCHEMA, name: IMAGE_NAME, type: 'debian', installer: true,
      variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: [] } },
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return {
    name: IMAGE_NAME, type: 'debian', arches: ['x86_64'], kernelArgs: [], console: {}, release: 'bookworm', mirror: upstream, preseedMode: 'inject', localMirror: true,
  };
}
