/**
 * `debian` images: the netboot `linux` + `initrd.gz` of debian-installer, from a mirror (http(s)
 * or a local directory laid out like one, verified against the images' SHA256SUMS) or from a
 * local netboot directory (e.g. the debian-installer-12-netboot-amd64 package). With
 * preseed_mode `inject`, preseed/inject.cfg becomes /preseed.cfg in the initrd.
 */
import { join } from 'node:path';
import type { Arch, DebianImageConfig } from '../config/types.js';
import { BuildError } from '../errors.js';
import { isFile } from '../util/fs.js';
import { parseSha256Sums, requireChecksum } from './checksums.js';
import { injectedPreseed } from './debian-preseed.js';
import type { FetchContext } from './source.js';
import { fetchFile, fetchText, joinLocation } from './source.js';
import type { VariantInput } from './variant.js';

export const DEBIAN_ARCH: Readonly<Record<Arch, string>> = { x86_64: 'amd64', arm64: 'arm64' };

/** Kernel arguments: installer in auto mode, per-device preseed from the server after the network is up. */
export function debianCmdline(): string[] {
  return ['auto=true', 'priority=critical', 'url={{preseed_url}}'];
}

/** `linux`/`initrd.gz` in the dir itself, in debian-installer/<arch>/, or under <arch>/text/debian-installer/<arch>/. */
export async function findNetbootFiles(dir: string, debArch: string): Promise<{ kernel: string; initrd: string }> {
  const candidates = [dir, join(dir, 'debian-installer', debArch), join(dir, debArch, 'text', 'debian-installer', debArch)];
  for (const candidate of candidates) {
    if ((await isFile(join(candidate, 'linux'))) && (await isFile(join(candidate, 'initrd.gz')))) {
      return { kernel: join(candidate, 'linux'), initrd: join(candidate, 'initrd.gz') };
    }
  }
  throw new BuildError(`netboot_dir ${dir} has no linux + initrd.gz for ${debArch}`, {
    hint: `looked in ${candidates.join(', ')}; for amd64: apt-get install debian-installer-12-netboot-amd64 and use /usr/lib/debian-installer/images/12`,
  });
}

async function fromMirror(ctx: FetchContext, image: DebianImageConfig, mirror: string, debArch: string): Promise<{ kernel: string; initrd: string }> {
  const images = joinLocation(mirror, `dists/${image.release}/main/installer-${debArch}/current/images`);
  const sums = parseSha256Sums(await fetchText(ctx, joinLocation(images, 'SHA256SUMS')));
  const listName = `${images}/SHA256SUMS`;
  const rel = `netboot/debian-installer/${debArch}`;
  const kernel = await fetchFile(ctx, joinLocation(images, `${rel}/linux`), requireChecksum(sums, `${rel}/linux`, listName));
  const initrd = await fetchFile(ctx, joinLocation(images, `${rel}/initrd.gz`), requireChecksum(sums, `${rel}/initrd.gz`, listName));
  return { kernel: kernel.path, initrd: initrd.path };
}

export async function debianVariants(ctx: FetchContext, image: DebianImageConfig): Promise<VariantInput[]> {
  const out: VariantInput[] = [];
  for (const arch of image.arches) {
    const debArch = DEBIAN_ARCH[arch];
    const files = image.netbootDir
      ? await findNetbootFiles(image.netbootDir, debArch)
      : await fromMirror(ctx, image, image.mirror ?? 'https://deb.debian.org/debian', debArch);
    out.push({
      arch,
      kernel: files.kernel,
      initrd: files.initrd,
      kernelName: 'linux',
      initrdName: 'initrd.gz',
      cmdline: debianCmdline(),
      ...(image.preseedMode === 'inject' ? { extraOverlay: [{ type: 'file' as const, name: 'preseed.cfg', mode: 0o644, data: Buffer.from(await injectedPreseed()) }] } : {}),
    });
  }
  return out;
}
