/**
 * `linuxkit` images: built from YAML with the `linuxkit` binary (`build --format kernel+initrd`),
 * or taken from an existing output directory or tar-kernel-initrd tarball.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { execa } from 'execa';
import type { Arch, LinuxkitImageConfig } from '../config/types.js';
import { BuildError } from '../errors.js';
import type { LinuxkitOutput } from './linuxkit-output.js';
import { readOutputDir, readOutputTarball } from './linuxkit-output.js';
import type { FetchContext } from './source.js';
import { linuxkitBuildDir } from './store.js';
import type { VariantInput } from './variant.js';

export const LINUXKIT_INSTALL_HINT =
  'install linuxkit: download a release binary from https://github.com/linuxkit/linuxkit/releases onto your PATH ' +
  '(or `go install github.com/linuxkit/linuxkit/src/cmd/linuxkit@latest`); or set "output" to an existing LinuxKit build';

const LINUXKIT_ARCH: Readonly<Record<Arch, string>> = { x86_64: 'amd64', arm64: 'arm64' };

/** argv for `linuxkit build` (exported for tests). */
export function linuxkitBuildArgs(yaml: string, name: string, dir: string, arch: Arch): string[] {
  return ['build', '--format', 'kernel+initrd', '--arch', LINUXKIT_ARCH[arch], '--name', name, '--dir', dir, yaml];
}

async function buildWithLinuxkit(ctx: FetchContext, image: LinuxkitImageConfig, yaml: string, arch: Arch, bin: string): Promise<LinuxkitOutput> {
  const dir = linuxkitBuildDir(ctx.stateDir, image.name, arch);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    await execa(bin, linuxkitBuildArgs(yaml, basename(yaml).replace(/\.ya?ml$/, ''), dir, arch), { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new BuildError(`the linuxkit binary (${bin}) is not installed; it is needed to build image "${image.name}" from ${yaml}`, { hint: LINUXKIT_INSTALL_HINT, cause: error });
    }
    throw new BuildError(`linuxkit build of ${yaml} failed: ${(error as { shortMessage?: string }).shortMessage ?? String(error)}`, { cause: error, hint: 'see linuxkit\'s output above' });
  }
  return readOutputDir(dir);
}

export async function linuxkitVariants(ctx: FetchContext, image: LinuxkitImageConfig, bin: string): Promise<VariantInput[]> {
  if (image.output && image.arches.length > 1) {
    throw new BuildError(`image "${image.name}": one LinuxKit output cannot serve ${image.arches.join(' and ')}`, { hint: 'define one linuxkit image per arch' });
  }
  const out: VariantInput[] = [];
  for (const arch of image.arches) {
    let built: LinuxkitOutput;
    if (image.yaml) built = await buildWithLinuxkit(ctx, image, image.yaml, arch, bin);
    else {
      const output = image.output!;
      const info = await stat(output).catch((error: unknown) => {
        throw new BuildError(`LinuxKit output ${output} does not exist`, { cause: error, hint: `fix images.${image.name}.output` });
      });
      built = info.isDirectory() ? await readOutputDir(output) : await readOutputTarball(ctx.stateDir, output);
    }
    out.push({ arch, kernel: built.kernel, initrd: built.initrd, kernelName: 'kernel', initrdName: 'initrd.img', cmdline: built.cmdline });
  }
  return out;
}
