/**
 * The cache key of a rootfs build: everything that decides its bytes. Same key → the cached
 * kernel and initramfs are reused; any change (a package, the mirror's Release, a shipped file,
 * this builder's steps) builds anew. Pure.
 */
import { createHash } from 'node:crypto';

/** Bump when finish.ts or pack.ts change what ends up in the image in a way `recipe` does not show. */
export const ROOTFS_BUILDER_VERSION = 2; // 2: zstd initrd padded to 4 bytes (pack.ts)

export interface CacheKeyInput {
  readonly suite: string;
  readonly debArch: string;
  readonly mirror: string;
  readonly components: readonly string[];
  readonly packages: readonly string[];
  readonly modules: readonly string[];
  /** sha256 of the mirror's Release file (release.ts). */
  readonly releaseSha256: string;
  /** Digest of the files shipped into the image (shipped.ts). */
  readonly shippedDigest: string;
  readonly compression: 'zstd' | 'none';
  /** The builder's own lists (dpkg filters, masked units, zstd arguments…): changing one rebuilds. */
  readonly recipe: unknown;
}

export function rootfsCacheKey(input: CacheKeyInput): string {
  const canonical = {
    builder: ROOTFS_BUILDER_VERSION,
    suite: input.suite,
    arch: input.debArch,
    mirror: input.mirror,
    components: [...input.components].sort(),
    packages: [...input.packages].sort(),
    modules: [...input.modules].sort(),
    release: input.releaseSha256,
    shipped: input.shippedDigest,
    compression: input.compression,
    recipe: input.recipe,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}
