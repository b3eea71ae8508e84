/**
 * Benchmark: an initrd of SIZE MB through microcode-prepend + overlay into the store (sha256 while
 * writing), against `cat` of the same bytes to a file in the same run (best of 3 each, page cache
 * warm for both). The composition runs in its own plain-node process (bundled with esbuild) so its
 * peak RSS is its own. Usage: tsx bench/initrd-bench.ts <sizeMB>
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa } from 'execa';

const sizeMb = Number(process.argv[2] ?? 40);
const work = await mkdtemp(join(tmpdir(), 'metalboot-bench-'));

async function makeBase(path: string, mb: number): Promise<void> {
  // gzip magic, then incompressible bytes: on x86_64 the main archive is copied as it is.
  const out = createWriteStream(path);
  const chunk = randomBytes(1 << 20);
  chunk[0] = 0x1f;
  chunk[1] = 0x8b;
  for (let i = 0; i < mb; i++) {
    if (!out.write(Buffer.from(chunk))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

try {
  // Inside the repo so that the bundle's external imports (execa) resolve from node_modules.
  const worker = fileURLToPath(new URL(`../node_modules/.cache/metalboot-bench/worker-${process.pid}.mjs`, import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL('./initrd-compose-worker.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: worker, packages: 'external', logLevel: 'error',
  });
  await mkdir(join(work, 'ucode', 'intel-ucode'), { recursive: true });
  await writeFile(join(work, 'ucode', 'intel-ucode', '06-55-04'), randomBytes(3 << 20)); // ~ real intel-ucode size
  await mkdir(join(work, 'overlay'), { recursive: true });
  await writeFile(join(work, 'overlay', 'preseed.cfg'), 'd-i debian-installer/locale string en_US.UTF-8\n');
  const base = join(work, 'base.img');
  await makeBase(base, sizeMb);
  await execa('cat', [base], { stdout: 'ignore' }); // warm the page cache for both contenders

  const cats: number[] = [];
  const composes: { seconds: number; maxRssMb: number; sha256: string; size: number; sha256MBps: number }[] = [];
  for (let round = 0; round < 3; round++) {
    cats.push(await seconds(() => execa('sh', ['-c', 'cat "$1" > "$2"', 'sh', base, join(work, 'cat.out')])));
    await rm(join(work, 'cat.out'));
    const { stdout } = await execa('node', [worker, base, join(work, 'ucode'), join(work, 'overlay'), join(work, 'state')], { cwd: fileURLToPath(new URL('..', import.meta.url)) });
    composes.push(JSON.parse(stdout) as (typeof composes)[number]);
  }
  const cat = Math.min(...cats);
  const compose = Math.min(...composes.map((c) => c.seconds));
  console.log(JSON.stringify({
    sizeMb,
    catSeconds: +cat.toFixed(3),
    composeSeconds: +compose.toFixed(3),
    catMBps: Math.round(sizeMb / cat),
    composeMBps: Math.round(sizeMb / compose),
    ratioToCat: +(cat / compose).toFixed(2),
    peakRssMb: Math.round(Math.max(...composes.map((c) => c.maxRssMb))),
    outputBytes: composes[0]!.size,
    sha256OnlyMBps: Math.round(Math.max(...composes.map((c) => c.sha256MBps))),
    loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
  }));
} finally {
  await rm(work, { recursive: true, force: true });
  await rm(fileURLToPath(new URL(`../node_modules/.cache/metalboot-bench/worker-${process.pid}.mjs`, import.meta.url)), { force: true });
}
