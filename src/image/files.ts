/** `files` images: a kernel and an initrd per arch, given as local paths or http(s) URLs. */
import { basename } from 'node:path';
import type { FilesImageConfig } from '../config/types.js';
import { BuildError } from '../errors.js';
import type { FetchContext } from './source.js';
import { fetchFile, isUrl } from './source.js';
import { ASSET_NAME } from './store.js';
import type { VariantInput } from './variant.js';

function assetName(location: string, fallback: string): string {
  const raw = isUrl(location) ? decodeURIComponent(new URL(location).pathname.split('/').pop() ?? '') : basename(location);
  return ASSET_NAME.test(raw) ? raw : fallback;
}

export async function filesVariants(ctx: FetchContext, image: FilesImageConfig): Promise<VariantInput[]> {
  const out: VariantInput[] = [];
  for (const arch of image.arches) {
    const variant = image.variants[arch];
    if (!variant) throw new BuildError(`image "${image.name}" has no kernel/initrd for ${arch}`, { hint: `add images.${image.name}.variants.${arch}` });
    const kernel = await fetchFile(ctx, variant.kernel);
    const initrd = await fetchFile(ctx, variant.initrd);
    out.push({
      arch,
      kernel: kernel.path,
      initrd: initrd.path,
      kernelName: assetName(variant.kernel, 'kernel'),
      initrdName: assetName(variant.initrd, 'initrd'),
      cmdline: variant.cmdline,
    });
  }
  return out;
}
