/**
 * Issue 2's real-firmware test: the rendered script of a Debian netboot image (kernel and initrd
 * from the debian-installer-12-netboot-amd64 package) boots in QEMU under SeaBIOS and under OVMF,
 * with QEMU's own iPXE ROM, inside a private network namespace. Asserted on ttyS1: the kernel
 * command line carries the rendered arguments unchanged (hostile ones included), the installer
 * starts, and the kernel never panics for want of its initrd. The first download of one asset
 * fails with 500 on each boot, so the script's retry loop runs on real iPXE.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { ImageManifest } from '../../src/image/manifest.js';
import { addAssetFromFile } from '../../src/image/store.js';
import { renderDeviceScript } from '../../src/ipxe/index.js';
import { startVm } from '../../src/vm/vm.js';
import { startStaticServer } from './static-server.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, skipUnlessVms } from './helpers/vm-env.js';

const canBoot = !(await skipUnlessVms());

const GUEST_PORT = 8080;
const BASE = `http://10.0.2.2:${GUEST_PORT}`;
const HOSTILE = ['#metalboot-hash', '&&', ';', '||', 'metalboot.quoted="a # b"', 'metalboot.dollar=$1'];
const INSTALLER = /\*installer\)/; // d-i's screen status line once the installer menu runs

let dir: string;
let config: Config;
let manifests: Record<string, ImageManifest>;

beforeAll(async () => {
  if (!canBoot) return;
  dir = await mkdtemp(join(tmpdir(), 'metalboot-fw-'));
  const stateDir = join(dir, 'state');
  const kernel = await addAssetFromFile(stateDir, NETBOOT_KERNEL, 'linux');
  const initrd = await addAssetFromFile(stateDir, NETBOOT_INITRD, 'initrd.gz');
  config = parseConfig(
    `server:
  public_url: ${BASE}
  state_dir: ${stateDir}
images:
  deb: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }
  arm-only: { type: files, arch: arm64, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }
devices:
  web-1:
    image: deb
    kernel_args: ${JSON.stringify(HOSTILE)}
  arm-1:
    image: arm-only
`,
    join(dir, 'metalboot.yaml'),
  );
  const variant = { kernel, initrd, compression: 'gzip' as const, cmdline: ['priority=critical', 'metalboot.device={{device}}'] };
  manifests = {
    deb: { schema: 1, name: 'deb', type: 'files', installer: true, variants: { x86_64: { arch: 'x86_64', ...variant } } },
    // Deliberately an x86 kernel labelled arm64: the script must refuse it on x86 firmware.
    'arm-only': { schema: 1, name: 'arm-only', type: 'files', installer: false, variants: { arm64: { arch: 'arm64', ...variant } } },
  };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function script(deviceName: string): string {
  const device = config.devices[deviceName]!;
  const image = config.images[device.image]!;
  return renderDeviceScript({ device, image, manifest: manifests[image.name]!, baseUrl: BASE, token: 'e2e-token', retryDelaySeconds: 2 });
}

async function boot(firmware: 'bios' | 'uefi', deviceName: string, failFirst: Record<string, number>) {
  const work = join(dir, `${firmware}-${deviceName}`);
  const socketPath = join(dir, `${firmware}-${deviceName}.sock`);
  const server = await startStaticServer({ socketPath, stateDir: join(dir, 'state'), scripts: { [`/ipxe/${deviceName}`]: script(deviceName) }, failFirst });
  const started = Date.now();
  const vm = await startVm({ firmware, bootUrl: `${BASE}/ipxe/${deviceName}`, workDir: work, forwards: [{ guestPort: GUEST_PORT, socketPath }], timeoutMs: 400_000 });
  return { server, vm, started, seconds: () => ((Date.now() - started) / 1000).toFixed(1) };
}

describe.skipIf(!canBoot).concurrent('the rendered script boots real firmware', () => {
  it.each(['bios', 'uefi'] as const)('%s: kernel args arrive unchanged, the installer starts, no root-fs panic', async (firmware) => {
    const kernelPath = `/assets/${manifests.deb!.variants.x86_64!.kernel.sha256}/linux`;
    const initrdPath = `/assets/${manifests.deb!.variants.x86_64!.initrd.sha256}/initrd.gz`;
    const { server, vm, seconds } = await boot(firmware, 'web-1', { [firmware === 'bios' ? kernelPath : initrdPath]: 1 });
    try {
      const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, 300_000);
      const atKernel = seconds();
      const expected = `priority=critical metalboot.device=web-1 ${HOSTILE.join(' ')} console=ttyS1,115200n8`;
      expect(cmdline[1]).toContain(firmware === 'uefi' ? `${expected} initrd=initrd` : expected);
      await vm.waitForConsole(INSTALLER, 300_000);
      console.log(`firmware-boot ${firmware}: kernel command line at ${atKernel} s, installer at ${seconds()} s`);
      const text = await vm.readConsole();
      expect(text).not.toMatch(/VFS: Unable to mount root fs|Kernel panic/);
      const retried = firmware === 'bios' ? kernelPath : initrdPath;
      expect(server.requests.filter((r) => r.path === retried).map((r) => r.status)).toEqual([500, 200]);
      expect(server.requests[0]).toEqual({ path: '/ipxe/web-1', status: 200 });
    } finally {
      await vm.stop();
      await server.close();
    }
  }, 420_000);

  it('bios: an image without a variant for the booted arch fetches nothing and boots nothing', async () => {
    const { server, vm } = await boot('bios', 'arm-1', {});
    try {
      await expect.poll(() => server.requests.length, { timeout: 240_000, interval: 500 }).toBeGreaterThan(0);
      // The script is fetched; give iPXE ample time to (wrongly) fetch a kernel before concluding it will not.
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      expect(server.requests.map((r) => r.path)).toEqual(['/ipxe/arm-1']);
      expect(await vm.readConsole()).not.toContain('Linux version');
    } finally {
      await vm.stop();
      await server.close();
    }
  }, 300_000);
});
