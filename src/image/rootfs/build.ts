/**
 * `rootfs` images: a Debian root filesystem built with mmdebstrap from the config's package list,
 * finished into a RAM OS (finish.ts) and packed as one initramfs whose /init is systemd, with the
 * kernel of the same package set. Cached under <state>/cache/rootfs/ by the hash of everything that
 * decides the bytes (cache-key.ts); a cached build is reused as it is. A failed build leaves the
 * cache and the served image untouched (work happens in the store's tmp/, renamed when complete).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mib, publishBuild } from '../build-dir.js';
import type { Arch, RootfsImageConfig } from '../../config/types.js';
import { DEBIAN_ARCH } from '../debian.js';
import type { FetchContext } from '../source.js';
import { tmpPath } from '../store.js';
import { isFile } from '../../util/fs.js';
import type { VariantInput } from '../variant.js';
import { needsUncompressed } from '../variant.js';
import { rootfsCacheKey } from './cache-key.js';
import { DISABLED_UNITS, ENABLED_UNITS, MASKED_UNITS, finishRootfs } from './finish.js';
import { checkBuildHost } from './host.js';
import { mmdebstrapArgs } from './mmdebstrap-args.js';
import { runMmdebstrap, stopwatch } from './mmdebstrap-run.js';
import { NO_INITRAMFS_PACKAGE, buildNoInitramfsDeb } from './no-initramfs.js';
import { DEFAULT_MODULES, DPKG_PATH_FILTERS, packageSet } from './packages.js';
import { ZSTD_ARGS, packRootfs } from './pack.js';
import type { RootfsCompression } from './pack.js';
import type { MirrorRelease } from './release.js';
import { fetchMirrorRelease } from './release.js';
import type { ShippedEntry } from './shipped.js';
import { readShipped, shippedDigest } from './shipped.js';

import type { BuildLog } from './mmdebstrap-run.js';

export type { BuildLog } from './mmdebstrap-run.js';

/** What a finished build records next to its kernel and initramfs (build.json). */
export interface RootfsBuildRecord {
  readonly key: string;
  readonly suite: string;
  readonly arch: Arch;
  readonly mirror: string;
  readonly sourceDateEpoch: number;
  readonly kernelVersion: string;
  readonly files: number;
  readonly cpioBytes: number;
  readonly compression: RootfsCompression;
  readonly modulesKept: number;
  readonly seconds: { readonly mmdebstrap: number; readonly finish: number; readonly pack: number };
}

export interface ArchPlan {
  readonly arch: Arch;
  readonly key: string;
  readonly dir: string;
  readonly packages: string[];
  readonly modules: string[];
  readonly compression: RootfsCompression;
}

export async function rootfsVariants(ctx: FetchContext, image: RootfsImageConfig, log: BuildLog): Promise<VariantInput[]> {
  const shipped = await readShipped();
  const release = await fetchMirrorRelease(image.mirror, image.suite);
  const out: VariantInput[] = [];
  for (const arch of image.arches) {
    const plan = planRootfsArch(ctx.stateDir, image, arch, release, shippedDigest(shipped));
    if (await isFile(join(plan.dir, 'build.json'))) {
      log(`rootfs ${image.name} ${arch}: cached build ${plan.key} (${plan.dir})`);
    } else {
      await checkBuildHost(arch);
      await buildArch(ctx, image, plan, release, shipped, log);
    }
    out.push(variantOf(plan));
  }
  return out;
}

/** Key, cache directory, package and module lists of one arch's build. Pure. */
export function planRootfsArch(stateDir: string, image: RootfsImageConfig, arch: Arch, release: MirrorRelease, digest: string): ArchPlan {
  const debArch = DEBIAN_ARCH[arch];
  const packages = [...packageSet(arch, image.packages), NO_INITRAMFS_PACKAGE];
  const modules = [...DEFAULT_MODULES, ...image.modules];
  const compression: RootfsCompression = needsUncompressed(arch) ? 'none' : 'zstd';
  const key = rootfsCacheKey({
    suite: image.suite, debArch, mirror: image.mirror, components: image.components, packages, modules,
    releaseSha256: release.sha256, shippedDigest: digest, compression,
    recipe: { dpkg: DPKG_PATH_FILTERS, enabled: ENABLED_UNITS, disabled: DISABLED_UNITS, masked: MASKED_UNITS, zstd: ZSTD_ARGS },
  });
  return { arch, key, dir: join(stateDir, 'cache', 'rootfs', `${image.suite}-${debArch}-${key}`), packages, modules, compression };
}

function variantOf(plan: ArchPlan): VariantInput {
  return {
    arch: plan.arch,
    kernel: join(plan.dir, 'vmlinuz'),
    initrd: join(plan.dir, initrdName(plan.compression)),
    kernelName: 'vmlinuz',
    initrdName: initrdName(plan.compression),
    cmdline: [],
  };
}

export function initrdName(compression: RootfsCompression): string {
  return compression === 'zstd' ? 'rootfs.cpio.zst' : 'rootfs.cpio';
}

async function buildArch(ctx: FetchContext, image: RootfsImageConfig, plan: ArchPlan, release: MirrorRelease, shipped: readonly ShippedEntry[], log: BuildLog): Promise<void> {
  const work = await tmpPath(ctx.stateDir, `rootfs-${plan.arch}`);
  const root = join(work, 'root');
  const out = join(work, 'out');
  await mkdir(out, { recursive: true });
  const timer = stopwatch();
  try {
    log(`rootfs ${image.name} ${plan.arch}: building ${plan.key} from ${image.mirror} ${image.suite} (SOURCE_DATE_EPOCH=${release.epoch})`);
    const deb = await buildNoInitramfsDeb(work);
    const packages = plan.packages.filter((name) => name !== NO_INITRAMFS_PACKAGE);
    await runMmdebstrap(mmdebstrapArgs({
      suite: image.suite, debArch: DEBIAN_ARCH[plan.arch], mirror: image.mirror, components: image.components,
      packages, localDebs: [deb], target: root,
    }), release.epoch, log);
    const mmdebstrap = timer.lap();
    const finished = await finishRootfs({ root, modules: plan.modules, requested: image.modules, shipped, log });
    await writeFile(join(out, 'packages.txt'), await installedPackages(root));
    const finish = timer.lap();
    const packed = await packRootfs({
      root, kernelVersion: finished.kernelVersion, kernelOut: join(out, 'vmlinuz'), initrdOut: join(out, initrdName(plan.compression)),
      compression: plan.compression, ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    });
    const record: RootfsBuildRecord = {
      key: plan.key, suite: image.suite, arch: plan.arch, mirror: image.mirror, sourceDateEpoch: release.epoch,
      kernelVersion: finished.kernelVersion, files: packed.files, cpioBytes: packed.cpioBytes, compression: plan.compression,
      modulesKept: finished.modules.kept, seconds: { mmdebstrap, finish, pack: timer.lap() },
    };
    await writeFile(join(out, 'build.json'), `${JSON.stringify(record, null, 2)}\n`);
    await publishBuild(out, plan.dir);
    log(`rootfs ${image.name} ${plan.arch}: ${packed.files} files, ${mib(packed.cpioBytes)} unpacked; mmdebstrap ${mmdebstrap}s, finish ${finish}s, pack ${record.seconds.pack}s`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function installedPackages(root: string): Promise<string> {
  const status = await readFile(join(root, 'var/lib/dpkg/status'), 'utf8');
  const lines = status.split('\n\n').flatMap((stanza) => {
    const name = /^Package: (.+)$/m.exec(stanza)?.[1];
    const version = /^Version: (.+)$/m.exec(stanza)?.[1];
    const arch = /^Architecture: (.+)$/m.exec(stanza)?.[1];
    return name && version ? [`${name}:${arch ?? ''} ${version}`] : [];
  });
  return `${lines.sort().join('\n')}\n`;
}
