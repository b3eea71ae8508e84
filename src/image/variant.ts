/**
 * Stores one arch variant: the kernel as it is; the initrd as it is, or composed (early microcode
 * on x86_64, overlays, decompression for arm64) and streamed straight into the store.
 */
import type { Arch, ImageConfig } from '../config/types.js';
import type { CpioEntry } from '../initrd/cpio.js';
import { withParents } from '../initrd/cpio.js';
import { planCompose } from '../initrd/compose.js';
import { entriesFromDir } from '../initrd/fs-entries.js';
import { microcodeEntries } from '../initrd/microcode.js';
import { verifyInitrd } from '../initrd/verify.js';
import { MetalbootError } from '../errors.js';
import { addAssetFromSegments } from './segment-writer.js';
import type { ManifestVariant } from './manifest.js';
import { assetPath } from './manifest.js';
import { DISK_ASSET_NAME, DISK_KERNEL_ARG } from './disk/packages.js';
import { addAssetFromFile } from './store.js';

export interface VariantInput {
  readonly arch: Arch;
  /** Local paths (already downloaded and verified). */
  readonly kernel: string;
  readonly initrd: string;
  readonly kernelName: string;
  readonly initrdName: string;
  readonly cmdline: readonly string[];
  /** type disk: the gzip'd disk image the installer writes (stored as an asset, its URL on the kernel line). */
  readonly disk?: string;
  /** Builder-specific files unpacked over the initrd (e.g. /preseed.cfg); they win over the image's overlay. */
  readonly extraOverlay?: readonly CpioEntry[];
}

const COMPRESSED_SUFFIX = /\.(gz|xz|zst|lz4|bz2)$/;

/** arm64 initrds are published uncompressed: iPXE on arm64 cannot unpack a compressed one. */
export function needsUncompressed(arch: Arch): boolean {
  return arch === 'arm64';
}

/**
 * The initrd is checked whole (initrd/verify.ts) before anything of the variant enters the store, so
 * a corrupt download or a wrong file fails the build naming image, file and offset, and leaves no blob.
 */
export async function storeVariant(stateDir: string, image: ImageConfig, input: VariantInput): Promise<ManifestVariant> {
  await withImage(image, input, () => verifyInitrd(input.initrd));
  const kernel = await addAssetFromFile(stateDir, input.kernel, input.kernelName);
  const early = image.microcode && input.arch === 'x86_64' ? await microcodeEntries(image.microcode) : [];
  const overlay = [...(image.overlay ? await entriesFromDir(image.overlay) : []), ...(input.extraOverlay ?? [])];
  const disk = input.disk === undefined ? undefined : await addAssetFromFile(stateDir, input.disk, DISK_ASSET_NAME);
  const common = {
    arch: input.arch, kernel,
    cmdline: [...input.cmdline, ...(disk ? [`${DISK_KERNEL_ARG}={{base_url}}${assetPath(disk)}`] : [])],
    ...(disk ? { disk } : {}),
  };
  const plan = await planCompose({
    base: input.initrd,
    early,
    overlay: overlay.length > 0 ? withParents(overlay) : [],
    uncompressed: needsUncompressed(input.arch),
  });
  const [only] = plan.segments;
  if (plan.segments.length === 1 && only?.kind === 'file') {
    // Nothing to compose: the initrd is stored as it is, under its own name.
    const initrd = await addAssetFromFile(stateDir, only.path, input.initrdName);
    return { ...common, initrd, compression: plan.compression };
  }
  const name = plan.compression === 'none' ? input.initrdName.replace(COMPRESSED_SUFFIX, '') || 'initrd' : input.initrdName;
  const initrd = await withImage(image, input, () => addAssetFromSegments(stateDir, name, plan.segments));
  return { ...common, initrd, compression: plan.compression };
}

/** Runs `step`, prefixing a MetalbootError with the image and arch it was about. */
async function withImage<T>(image: ImageConfig, input: VariantInput, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof MetalbootError)) throw error;
    throw new MetalbootError(`image "${image.name}" (${input.arch}): ${error.message}`, { code: error.code, hint: error.hint, cause: error });
  }
}
