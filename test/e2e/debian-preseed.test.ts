/**
 * Issue 3's boot test: `buildImage` makes a Debian image from the debian-installer-12-netboot-amd64
 * package with early microcode prepended (a small FAKE Intel microcode file: the point is the
 * uncompressed early cpio in front, not a real update) and the preseed injected as an overlay.
 * The rendered iPXE script boots it in QEMU (SeaBIOS, TCG) inside a private network namespace.
 * Seeing the injected preseed's early_command marker on ttyS1 proves the kernel unpacked all three
 * parts ([microcode cpio][Debian initrd.gz][overlay gzip cpio]) and the installer read /preseed.cfg.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { buildImage } from '../../src/image/build.js';
import { EARLY_MARKER } from '../../src/image/debian-preseed.js';
import type { ImageManifest } from '../../src/image/manifest.js';
import { assetFile } from '../../src/image/store.js';
import { renderPreseed } from '../../src/installer/preseed.js';
import { buildDeviceData } from '../../src/devicedata/index.js';
import { renderDeviceScript } from '../../src/ipxe/index.js';
import { deviceUrls } from '../../src/ipxe/urls.js';
import { startVm } from '../../src/vm/vm.js';
import type { Route } from './helpers/unix-http.js';
import { serveOnUnixSocket } from './helpers/unix-http.js';
import { vmSkipReason } from './helpers/vm-env.js';

const skipReason = await vmSkipReason();
if (skipReason) console.warn(`[skip] debian-preseed boot: ${skipReason}`);

const GUEST_PORT = 8080;
const BASE = `http://10.0.2.2:${GUEST_PORT}`;
const TOKEN = '0123456789abcdef0123456789abcdef';

let dir: string;
let config: Config;
let manifest: ImageManifest;

beforeAll(async () => {
  if (skipReason) return;
  dir = await mkdtemp(join(tmpdir(), 'metalboot-preseed-e2e-'));
  await mkdir(join(dir, 'ucode', 'intel-ucode'), { recursive: true });
  await writeFile(join(dir, 'ucode', 'intel-ucode', '06-55-04'), Buffer.alloc(2048, 0xa5)); // fake microcode
  config = parseConfig(
    `server:
  public_url: ${BASE}
  state_dir: ${join(dir, 'state')}
images:
  debian12:
    type: debian
    netboot_dir: /usr/lib/debian-installer/images/12
    microcode: ucode
    preseed_mode: inject
devices:
  web-1:
    image: debian12
    macs: ["52:54:00:12:34:56"]
`,
    join(dir, 'metalboot.yaml'),
  );
  ({ manifest } = await buildImage(config, 'debian12'));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skipReason !== undefined)('a built Debian image boots with microcode and the injected preseed', () => {
  it('bios: the preseed early_command marker reaches ttyS1', async () => {
    const device = config.devices['web-1']!;
    const image = config.images.debian12!;
    const variant = manifest.variants.x86_64!;
    const urls = deviceUrls(BASE, device.name, TOKEN);
    const stateDir = config.server.stateDir;
    const routes: Record<string, Route> = {
      '/ipxe/web-1': { text: renderDeviceScript({ device, image, manifest, baseUrl: BASE, token: TOKEN, retryDelaySeconds: 2 }) },
      [`/assets/${variant.kernel.sha256}/${variant.kernel.name}`]: { file: assetFile(stateDir, variant.kernel.sha256) },
      [`/assets/${variant.initrd.sha256}/${variant.initrd.name}`]: { file: assetFile(stateDir, variant.initrd.sha256) },
      [urls.preseed.slice(BASE.length)]: {
        text: renderPreseed({ device, image, manifest, baseUrl: BASE, token: TOKEN, bondMacs: device.macs, deviceJson: JSON.stringify(buildDeviceData({ device, token: TOKEN, baseUrl: BASE })), template: await readFile(new URL('../../preseed/bonded.cfg', import.meta.url), 'utf8') }),
      },
    };
    const server = await serveOnUnixSocket(dir, routes);
    const vm = await startVm({ firmware: 'bios', bootUrl: `${BASE}/ipxe/web-1`, workDir: join(dir, 'vm'), forwards: [{ guestPort: GUEST_PORT, socketPath: server.socketPath }], timeoutMs: 200_000 });
    const started = Date.now();
    try {
      const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, 150_000);
      expect(cmdline[1]).toContain(`auto=true priority=critical url=${urls.preseed}`);
      await vm.waitForConsole(new RegExp(EARLY_MARKER), 150_000);
      console.log(`debian-preseed: marker on ttyS1 after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const text = await vm.readConsole();
      expect(text).not.toMatch(/Kernel panic|broken padding|junk at the end/);
      expect(server.requests.map((r) => r.path)).toContain(`/assets/${variant.initrd.sha256}/${variant.initrd.name}`);
    } finally {
      await vm.stop();
      await server.close();
    }
  }, 200_000);
});
