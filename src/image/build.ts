/**
 * `buildImage`: resolves an image's inputs (per type), stores kernel and initrd by content, and
 * writes the manifest last. A failure before the manifest is written leaves the previous manifest
 * (and every asset it names) untouched: assets are immutable and only ever added.
 */
import type { Config, ImageConfig } from '../config/types.js';
import { almaVariants } from './alma.js';
import { debianVariants } from './debian.js';
import { diskVariants } from './disk/build.js';
import type { DownloadProgress } from './download.js';
import { filesVariants } from './files.js';
import { linuxkitVariants } from './linuxkit.js';
import { requireImage } from './require-image.js';
import { rootfsVariants } from './rootfs/build.js';
import type { ImageManifest, ManifestVariant } from './manifest.js';
import { MANIFEST_SCHEMA } from './manifest.js';
import type { FetchContext } from './source.js';
import { writeManifest } from './store.js';
import type { VariantInput } from './variant.js';
import { storeVariant } from './variant.js';

export interface BuildOptions {
  /** Overrides `server.state_dir` (the CLI's --out). */
  readonly stateDir?: string;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** The `linuxkit` binary (default: `linuxkit` on PATH). */
  readonly linuxkitBin?: string;
  /** Step lines of long builds (rootfs, disk): default stderr. */
  readonly log?: (line: string) => void;
}

export interface BuildResult {
  readonly manifest: ImageManifest;
  readonly manifestPath: string;
}

export function isInstaller(image: ImageConfig): boolean {
  return image.type === 'debian' || image.type === 'alma' || image.type === 'disk';
}

function buildLog(options: BuildOptions): (line: string) => void {
  return options.log ?? ((line) => process.stderr.write(`${line}\n`));
}

async function resolveVariants(ctx: FetchContext, image: ImageConfig, options: BuildOptions): Promise<VariantInput[]> {
  switch (image.type) {
    case 'files': return filesVariants(ctx, image);
    case 'debian': return debianVariants(ctx, image);
    case 'alma': return almaVariants(ctx, image);
    case 'linuxkit': return linuxkitVariants(ctx, image, options.linuxkitBin ?? 'linuxkit');
    case 'rootfs': return rootfsVariants(ctx, image, buildLog(options));
    case 'disk': return diskVariants(ctx, image, buildLog(options));
  }
}

export async function buildImage(config: Config, imageName: string, options: BuildOptions = {}): Promise<BuildResult> {
  const image = requireImage(config, imageName);
  const stateDir = options.stateDir ?? config.server.stateDir;
  const ctx: FetchContext = { stateDir, ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  const inputs = await resolveVariants(ctx, image, options);
  const variants: Partial<Record<string, ManifestVariant>> = {};
  for (const input of inputs) variants[input.arch] = await storeVariant(stateDir, image, input);
  const manifest: ImageManifest = { schema: MANIFEST_SCHEMA, name: image.name, type: image.type, installer: isInstaller(image), variants };
  const manifestPath = await writeManifest(stateDir, manifest);
  return { manifest, manifestPath };
}
