/**
 * `alma` images: `images/pxeboot/vmlinuz` + `initrd.img` from `<mirror>/<version>/BaseOS/<arch>/os/`,
 * verified against that tree's `.treeinfo` [checksums]. Kernel arguments point Anaconda at the
 * tree and at the server's per-device kickstart.
 */
import type { AlmaImageConfig, Arch } from '../config/types.js';
import { parseTreeinfoChecksums, requireChecksum } from './checksums.js';
import type { FetchContext } from './source.js';
import { fetchFile, fetchText, isUrl, joinLocation } from './source.js';
import type { VariantInput } from './variant.js';

export const ALMA_ARCH: Readonly<Record<Arch, string>> = { x86_64: 'x86_64', arm64: 'aarch64' };

export function almaTree(mirror: string, version: string, arch: Arch): string {
  return joinLocation(mirror, `${version}/BaseOS/${ALMA_ARCH[arch]}/os`);
}

/** `inst.repo` only for a remote tree: a local directory means nothing to the booting machine. */
export function almaCmdline(tree: string): string[] {
  return [...(isUrl(tree) ? [`inst.repo=${tree}`] : []), 'inst.ks={{kickstart_url}}', 'ip=dhcp'];
}

export async function almaVariants(ctx: FetchContext, image: AlmaImageConfig): Promise<VariantInput[]> {
  const out: VariantInput[] = [];
  for (const arch of image.arches) {
    const tree = almaTree(image.mirror, image.version, arch);
    const sums = parseTreeinfoChecksums(await fetchText(ctx, joinLocation(tree, '.treeinfo')));
    const listName = `${tree}/.treeinfo`;
    const kernel = await fetchFile(ctx, joinLocation(tree, 'images/pxeboot/vmlinuz'), requireChecksum(sums, 'images/pxeboot/vmlinuz', listName));
    const initrd = await fetchFile(ctx, joinLocation(tree, 'images/pxeboot/initrd.img'), requireChecksum(sums, 'images/pxeboot/initrd.img', listName));
    out.push({ arch, kernel: kernel.path, initrd: initrd.path, kernelName: 'vmlinuz', initrdName: 'initrd.img', cmdline: almaCmdline(tree) });
  }
  return out;
}
