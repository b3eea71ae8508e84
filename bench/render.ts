/**
 * How long rendering takes. In-process: renders per second of a device script (what the server
 * does per request). CLI: wall time of `metalboot render` against bare `node -e ''` start-up,
 * measured in the same run, printed as a ratio. Run: npx tsx bench/render.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import { renderDeviceScript } from '../src/ipxe/index.js';
import { addAssetFromFile, writeManifest } from '../src/image/store.js';

const dir = mkdtempSync(join(tmpdir(), 'metalboot-bench-render-'));
writeFileSync(join(dir, 'linux'), 'k');
writeFileSync(join(dir, 'initrd'), 'i');
const yaml = `images:\n  deb: { type: files, kernel: ./linux, initrd: ./initrd }\ndevices:\n  web-1: { image: deb, macs: ["b4:96:91:aa:bb:01"], kernel_args: ["net.ifnames=0", "#x"] }\n`;
writeFileSync(join(dir, 'metalboot.yaml'), yaml);
const config = parseConfig(yaml, join(dir, 'metalboot.yaml'));
const kernel = await addAssetFromFile(config.server.stateDir, join(dir, 'linux'), 'linux');
const initrd = await addAssetFromFile(config.server.stateDir, join(dir, 'initrd'), 'initrd.gz');
const manifest = { schema: 1 as const, name: 'deb', type: 'files' as const, installer: true, variants: { x86_64: { arch: 'x86_64' as const, kernel, initrd, compression: 'gzip' as const, cmdline: ['url={{preseed_url}}'] } } };
await writeManifest(config.server.stateDir, manifest);

const input = { device: config.devices['web-1']!, image: config.images.deb!, manifest, baseUrl: 'http://boot:8080', token: 't'.repeat(32) };
for (let i = 0; i < 2000; i++) renderDeviceScript(input);
const n = 20000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) renderDeviceScript(input);
const perSecond = n / (Number(process.hrtime.bigint() - t0) / 1e9);

const time = (file: string, args: string[], runs = 10): number => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) execFileSync(file, args, { stdio: 'ignore', env: { ...process.env, METALBOOT_SECRET: 's' } });
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
};
const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const nodeMs = time(process.execPath, ['-e', '']);
const renderMs = time(process.execPath, [cli, 'render', 'web-1', '--config', join(dir, 'metalboot.yaml')]);
console.log(`in-process: ${Math.round(perSecond).toLocaleString('en')} device scripts rendered per second`);
console.log(`cli: metalboot render ${renderMs.toFixed(0)} ms, bare node start-up ${nodeMs.toFixed(0)} ms, ratio ${(renderMs / nodeMs).toFixed(2)}x`);
