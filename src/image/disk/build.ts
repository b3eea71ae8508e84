/**
 * `disk` images: an image-based install. Two parts, each cached by what decides its bytes:
 * - the installer, a RAM OS built by the rootfs machinery (plan.ts installerImage): its shipped
 *   metalboot-install unit runs only with `metalboot.disk=<url>` on the kernel line;
 * - the installed system's disk image: mmdebstrap, assemble (assemble.ts), gzip, under
 *   <state>/cache/disk/. Built in the store's tmp/ and renamed when complete: a failed build
 *   leaves the cache and the served manifest as they were.
 * The variant carries the disk image; storeVariant adds it as an asset and the kernel argument.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mib, publishBuild } from '../build-dir.js';
import type { DiskImageConfig } from '../../config/types.js';
import { isFile } from '../../util/fs.js';
import type { FetchContext } from '../source.js';
import { tmpPath } from '../store.js';
import type { VariantInput } from '../variant.js';
import { rootfsVariants } from '../rootfs/build.js';
import { checkBuildHost } from '../rootfs/host.js';
import { mmdebstrapArgs } from '../rootfs/mmdebstrap-args.js';
import type { BuildLog } from '../rootfs/mmdebstrap-run.js';
import { runMmdebstrap, stopwatch } from '../rootfs/mmdebstrap-run.js';
import { fetchMirrorRelease } from '../rootfs/release.js';
import type { MirrorRelease } from '../rootfs/release.js';
import { SHIPPED_DIR, readShipped, shippedDigest } from '../rootfs/shipped.js';
import { ASSEMBLE_SCRIPT, assembleParts, gzipInto, writeRawDisk } from './assemble.js';
import { DISK_ASSET_NAME, DISK_DPKG_FILTERS } from './packages.js';
import type { DiskPlan } from './plan.js';
import { installerImage, planDisk } from './plan.js';

/** What a finished disk build records next to disk.raw.gz (build.json). */
export interface DiskBuildRecord {
  readonly key: string;
  readonly suite: string;
  readonly mirror: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly seconds: { readonly mmdebstrap: number; readonly assemble: number; readonly gzip: number };
}

export async function diskVariants(ctx: FetchContext, image: DiskImageConfig, log: BuildLog): Promise<VariantInput[]> {
  const [installer] = await rootfsVariants(ctx, installerImage(image), log);
  const release = await fetchMirrorRelease(image.mirror, image.suite);
  const assembleDigest = createHash('sha256').update(await readFile(ASSEMBLE_SCRIPT)).digest('hex');
  const plan = planDisk(ctx.stateDir, image, release, shippedDigest(await readShipped()), assembleDigest);
  if (await isFile(join(plan.dir, 'build.json'))) {
    log(`disk ${image.name}: cached disk image ${plan.key} (${plan.dir})`);
  } else {
    await checkBuildHost('x86_64');
    await buildDisk(ctx, image, plan, release, log);
  }
  return [{ ...installer!, disk: join(plan.dir, DISK_ASSET_NAME) }];
}

async function buildDisk(ctx: FetchContext, image: DiskImageConfig, plan: DiskPlan, release: MirrorRelease, log: BuildLog): Promise<void> {
  const work = await tmpPath(ctx.stateDir, 'disk-x86_64');
  const root = join(work, 'root');
  const out = join(work, 'out');
  await mkdir(out, { recursive: true });
  const timer = stopwatch();
  try {
    log(`disk ${image.name}: building the installed system ${plan.key} from ${image.mirror} ${image.suite} (SOURCE_DATE_EPOCH=${release.epoch})`);
    await runMmdebstrap(mmdebstrapArgs({
      suite: image.suite, debArch: 'amd64', mirror: image.mirror, components: image.components,
      packages: plan.packages, localDebs: [], target: root, dpkgFilters: DISK_DPKG_FILTERS,
    }), release.epoch, log);
    const mmdebstrap = timer.lap();
    await assembleParts(root, work, SHIPPED_DIR, log);
    await rm(root, { recursive: true, force: true });
    const raw = join(work, 'disk.raw');
    const layout = await writeRawDisk(work, raw);
    const assemble = timer.lap();
    log(`disk ${image.name}: compressing ${mib(layout.totalSectors * 512)} with gzip`);
    await gzipInto(raw, join(out, DISK_ASSET_NAME));
    const record: DiskBuildRecord = {
      key: plan.key, suite: image.suite, mirror: image.mirror, rawBytes: (await stat(raw)).size,
      gzipBytes: (await stat(join(out, DISK_ASSET_NAME))).size, seconds: { mmdebstrap, assemble, gzip: timer.lap() },
    };
    await writeFile(join(out, 'build.json'), `${JSON.stringify(record, null, 2)}\n`);
    await publishBuild(out, plan.dir);
    log(`disk ${image.name}: ${mib(record.rawBytes)} raw, ${mib(record.gzipBytes)} gzip'd; mmdebstrap ${mmdebstrap}s, assemble ${assemble}s, gzip ${record.seconds.gzip}s`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
