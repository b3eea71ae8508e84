/**
 * An IMAGE-BASED install, end to end (`npm run test:install`; `npm test` leaves it out), once with
 * BIOS (SeaBIOS) and once with UEFI (OVMF): `metalboot reimage web-1 --provider metal --wait`, the
 * real CLI, against the Metal simulator whose device is a QEMU VM (two virtio NICs behind the LACP
 * test switch, a 4 GB disk). METALBOOT_INSTALL_FIRMWARE=bios|uefi runs one of them.
 *
 * The device's image is the product's `type: disk` (test/fixtures/disk-image.yaml, built by
 * `buildImage` in the global setup, test/setup/disk-image.ts; its manifest is served as built): a RAM
 * installer whose metalboot-install unit (metalboot.disk=<url> on its kernel line) streams the
 * installed system's disk image from the server's /assets to the first disk, grows the root to the
 * end of it, carries the device's data into the installed root, posts "installed" and reboots (its
 * "booted" report does not run on such a boot). The CLI then turns always_pxe off, so the reboot
 * lands on the disk: GRUB on ttyS1 (BIOS boot partition or the ESP), Debian 12 with
 * systemd-networkd and the metalboot units, which bond the NICs and post "booted".
 *
 * Passes only on what the system produced: the server's events (fetches and the device's own
 * reports with their facts), the simulator's API log, the consoles of both boots, and the kernel's
 * view read back over SSH with the device's key. Needs root, QEMU, dnsmasq, python3 and the disk
 * image (its global setup builds it once into the test cache).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadServerSecret } from '../../src/config/secret.js';
import { cliArgv } from '../../src/demo/cli-in-netns.js';
import { followConsole } from '../../src/demo/follow-console.js';
import type { BootEvent } from '../../src/events/types.js';
import type { Firmware } from '../../src/config/types.js';
import type { AssetRef, ImageManifest } from '../../src/image/manifest.js';
import { assetPath } from '../../src/image/manifest.js';
import { addAssetFromFile, assetFile, readManifest, writeManifest } from '../../src/image/store.js';
import { SHIPPED_DIR } from '../../src/image/rootfs/shipped.js';
import type { ReimageSummary } from '../../src/reimage/types.js';
import { createSimBridge } from '../../src/sim/bridge/vm-bridge.js';
import type { SimBridge } from '../../src/sim/bridge/vm-bridge.js';
import { createMetalSimulator } from '../../src/sim/metal/index.js';
import type { MetalSimulator } from '../../src/sim/metal/index.js';
import { createLogger, startServer } from '../../src/server/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { consoleText } from '../../src/vm/console-text.js';
import { spawnInNetns } from '../../src/vm/netns.js';
import { diskTestState } from '../setup/cache.js';
import { BRIDGE_ADDRESS, HTTP_PORT, SWITCH_MAC, TAPS, lacpNetLaunch } from '../e2e/helpers/lacp-net.js';
import { leasedAddress } from '../e2e/helpers/ram-boot.js';

/** The server's METALBOOT_TOKEN: `reimage --wait` follows the boot events with it. */
const OPERATOR_TOKEN = 'install-e2e-operator-token';

const STATE = diskTestState();
const LIB = join(SHIPPED_DIR, 'usr/lib/metalboot');
const DEVICE = 'web-1';
const MACS = ['52:54:00:6d:69:01', '52:54:00:6d:69:02'] as const;
const API_PORT = 4000;
const TIMEOUT_MS = 1_500_000;

async function skipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (namespaces, taps, QEMU and mmdebstrap need root here)';
  for (const program of ['qemu-system-x86_64', 'dnsmasq', 'jq', 'ssh', 'nsenter']) {
    if ((await execa('sh', ['-c', `command -v ${program}`], { reject: false })).exitCode !== 0) return `missing ${program}`;
  }
  if (!existsSync('/usr/bin/python3')) return 'missing /usr/bin/python3 (the LACP test switch)';
  if (!existsSync(join(STATE, 'images/disk.json'))) return `no disk image built in ${STATE}: run npm run test:install as root (its global setup builds it)`;
  return undefined;
}

const reason = await skipReason();
if (reason) console.warn(`[skip] image-based install: ${reason}`);

interface Timed { readonly at: number }

const FIRMWARES = (['bios', 'uefi'] as const).filter((f) => [undefined, '', f].includes(process.env.METALBOOT_INSTALL_FIRMWARE));

/** The built image as the product made it, into this run's state dir: the same manifest, the same assets. */
async function copyImage(stateDir: string): Promise<ImageManifest> {
  const manifest = await readManifest(STATE, 'disk');
  const copy = (asset: AssetRef) => addAssetFromFile(stateDir, assetFile(STATE, asset.sha256), asset.name);
  for (const variant of Object.values(manifest.variants)) {
    for (const asset of [variant!.kernel, variant!.initrd, ...(variant!.disk ? [variant!.disk] : [])]) await copy(asset);
  }
  await writeManifest(stateDir, manifest);
  return manifest;
}

(reason === undefined ? describe : describe.skip).each(FIRMWARES)('image-based install (%s): reimage → RAM installer writes the disk → reboot → installed Debian reports "booted"', (firmware: Firmware) => {
  let dir: string;
  let server: RunningServer;
  let sim: MetalSimulator;
  let api: Server;
  let bridge: SimBridge;
  let deviceId: string;
  let diskAssetPath: string;
  const events: (BootEvent & Timed)[] = [];
  const consoles: string[] = []; // one per VM run, as plain text
  let exitCode: number | null = null;
  let summary: ReimageSummary | undefined;
  let stderr = '';
  let started = 0;

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mbi-'); // short: unix socket paths live here
    const stateDir = join(dir, 'state');
    const manifest = await copyImage(stateDir);
    diskAssetPath = assetPath(manifest.variants.x86_64!.disk!);

    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'install-e2e', '-f', join(dir, 'id')]);
    const publicKey = (await readFile(join(dir, 'id.pub'), 'utf8')).trim();
    deviceId = randomUUID();
    const configFile = join(dir, 'metalboot.yaml');
    await writeFile(configFile, [
      'server:', `  public_url: http://${BRIDGE_ADDRESS}:${HTTP_PORT}`, `  state_dir: ${stateDir}`,
      'images:', '  disk:', '    type: disk',
      'devices:', `  ${DEVICE}:`, `    metal_id: ${deviceId}`, '    image: disk', `    firmware: ${firmware}`,
      `    macs: [${MACS.join(', ')}]`, `    ssh_keys: [${JSON.stringify(publicKey)}]`, '',
    ].join('\n'));
    const config = await loadConfig(configFile);
    const secret = await loadServerSecret(stateDir);
    const serverSocket = join(dir, 'server.sock');
    server = await startServer({ config, secret, listen: false, socketPath: serverSocket, uploadToken: OPERATOR_TOKEN, logger: createLogger({ level: 'info', destination: join(dir, 'server.log') }) });
    server.context.events.subscribe((event) => void events.push({ ...event, at: Date.now() - started }));

    const scriptUrl = `http://${BRIDGE_ADDRESS}:${HTTP_PORT}/ipxe/${DEVICE}`;
    bridge = createSimBridge({
      serverSocket, workRoot: join(dir, 'vms'), firmware, diskGb: 4, memoryMb: 1024, timeoutMs: TIMEOUT_MS,
      current: (id) => sim.device(id),
      network: {
        serverHost: BRIDGE_ADDRESS,
        taps: (d) => TAPS.map((tap, i) => ({ tap, mac: d.macs[i]! })),
        launch: (_d, workDir, qemu) => lacpNetLaunch(workDir, scriptUrl, qemu),
      },
      onVm: (_d, vm) => {
        const index = consoles.push('') - 1;
        followConsole(vm, (text) => (consoles[index] += text));
      },
    });
    sim = createMetalSimulator({
      devices: [{ id: deviceId, hostname: DEVICE, operatingSystem: 'custom_ipxe', macs: [...MACS] }],
      hooks: bridge.hooks, timings: { rebootMs: 1_000, reinstallMs: 2_000, powerMs: 1_000, provisionMs: 2_000 },
    });
    api = createServer(sim.app);
    await new Promise<void>((resolve, reject) => api.once('error', reject).listen(join(dir, 'metal-api.sock'), resolve));

    // The CLI sees the network as the device does: the server at the bridge's address, the API on loopback.
    started = Date.now();
    const { file, args } = cliArgv();
    const cli = await spawnInNetns({
      file, args: [...args, 'reimage', DEVICE, '--provider', 'metal', '--wait', '--json', '--timeout', String(TIMEOUT_MS / 1000), '--config', configFile],
      forwards: [{ guestPort: HTTP_PORT, host: BRIDGE_ADDRESS, socketPath: serverSocket }, { guestPort: API_PORT, socketPath: join(dir, 'metal-api.sock') }],
      addresses: [`${BRIDGE_ADDRESS}/32`], output: 'pipe', timeoutMs: TIMEOUT_MS + 30_000,
      env: { ...(process.env as Record<string, string>), METALBOOT_TOKEN: OPERATOR_TOKEN, METAL_AUTH_TOKEN: 'metalboot-install-e2e', METAL_PROJECT_ID: sim.projectId, METAL_API_URL: `http://127.0.0.1:${API_PORT}/metal/v1` },
    });
    let stdout = '';
    cli.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    cli.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exitCode = await cli.exited;
    try {
      summary = JSON.parse(stdout) as ReimageSummary;
    } catch {
      summary = undefined;
    }
    const at = (pred: (e: BootEvent) => boolean) => events.find(pred)?.at;
    console.log(`[install e2e] CLI exit ${exitCode} after ${Date.now() - started} ms; installed at ${at((e) => e.state === 'installed')} ms, booted at ${at((e) => e.state === 'booted')} ms (${firmware}, TCG, 2 vCPUs)`);
  }, TIMEOUT_MS + 900_000);

  afterAll(async () => {
    await bridge?.stopAll();
    api?.closeAllConnections();
    await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()));
    await sim?.close();
    await server?.close(1_000);
    if (dir && !process.env.METALBOOT_KEEP_E2E) await rm(dir, { recursive: true, force: true });
  });

  const evidence = (): string => [
    `--- CLI stderr\n${stderr.slice(-2000)}`,
    `--- events\n${events.map((e) => `${e.at} ${e.kind} ${e.path ?? ''} ${e.state ?? ''} ${e.message ?? ''}`).join('\n')}`,
    ...consoles.map((text, i) => `--- console of VM run ${i + 1}\n${text.split('\n').slice(-30).join('\n')}`),
  ].join('\n');

  it('the CLI waits through the install to the installed system\'s own "booted" report and exits 0', () => {
    expect(exitCode, evidence()).toBe(0);
    expect(summary?.result, evidence()).toBe('succeeded');
  });

  it('the device fetched its script, the installer, its data and the disk image, then reported installed, then booted', () => {
    const mine = events.filter((e) => e.device === DEVICE || e.path === diskAssetPath);
    const steps = mine.map((e) => (e.kind === 'phone-home' ? `phone-home:${e.state}` : e.kind));
    const order = ['script', 'kernel', 'initrd', 'device-data', 'phone-home:running', 'phone-home:installed', 'phone-home:booted'].map((s) => steps.indexOf(s));
    expect(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1]!)), `${steps.join(' ')}\n${evidence()}`).toBe(true);
    // The disk image left the server between the start of the install and its report.
    expect(mine.some((e) => e.path === diskAssetPath), steps.join(' ')).toBe(true);
    // After the install, the device never fetched its script again: it booted from its disk.
    const installedAt = steps.indexOf('phone-home:installed');
    expect(steps.slice(installedAt).filter((s) => s === 'script')).toEqual([]);
  });

  it('made only spec-valid Metal API calls, and always_pxe went off once the install was done', () => {
    expect(sim.violations()).toEqual([]);
    const changes = sim.requests().filter((r) => r.method !== 'GET').map((r) => [r.method, r.path.replace(deviceId, 'ID'), r.body, r.status]);
    expect(changes).toEqual([
      ['PUT', '/metal/v1/devices/ID', { ipxe_script_url: expect.stringMatching(new RegExp(`^http://${BRIDGE_ADDRESS.replaceAll('.', '\\.')}:${HTTP_PORT}/ipxe/${DEVICE}\\?token=[0-9a-f]{64}$`)), always_pxe: true }, 200],
      ['POST', '/metal/v1/devices/ID/actions', { type: 'reboot' }, 202],
      ['PUT', '/metal/v1/devices/ID', { always_pxe: false }, 200],
    ]);
    expect(sim.device(deviceId)?.alwaysPxe).toBe(false);
  });

  it('the installed system booted GRUB on ttyS1 and its kernel from the disk, and shows "web-1 login:"', () => {
    expect(consoles.length, evidence()).toBeGreaterThanOrEqual(2);
    const installer = consoleText(consoles[0]!);
    expect(installer).toContain('metalboot-install: writing http://');
    expect(installer).toContain('metalboot-install: growing the root partition /dev/vda3 to the end of /dev/vda');
    expect(installer).toContain('metalboot-install: installed; rebooting into the disk');
    const installed = consoleText(consoles.at(-1)!);
    expect(installed).toContain('GNU GRUB');
    expect(installed).toMatch(/Kernel command line: BOOT_IMAGE=\/boot\/vmlinuz-\S+ root=LABEL=metalroot .*console=ttyS1,115200n8/);
    expect(installed).toMatch(new RegExp(`^${DEVICE} login: `, 'm'));
  });

  it('its "booted" report carries facts from the installed kernel: bond0 802.3ad aggregated behind the switch', () => {
    const booted = events.find((e) => e.device === DEVICE && e.kind === 'phone-home' && e.state === 'booted');
    const facts = booted?.facts as { hostname: string; cmdline: string; bond: { mode: string; lacp_rate: string; miimon: number; xmit_hash_policy: string; partner_mac: string; slaves: { mac: string }[] } } | undefined;
    expect(facts, evidence()).toBeDefined();
    expect(facts!.hostname).toBe(DEVICE);
    expect(facts!.cmdline).toContain('root=LABEL=metalroot');
    expect(facts!.bond).toMatchObject({ mode: '802.3ad', lacp_rate: 'slow', miimon: 100, xmit_hash_policy: 'layer3+4', partner_mac: SWITCH_MAC });
    expect(facts!.bond.slaves.map((s) => s.mac).sort()).toEqual([...MACS]);
  });

  it(`over SSH with the device's key: the root is the disk and fills it, bond0 is 802.3ad with both slaves, the console is ttyS1, booted by ${firmware}`, async () => {
    const vm = bridge.vm(deviceId);
    expect(vm?.pid, evidence()).toBeDefined();
    const address = await leasedAddress(join(dir, 'vms', DEVICE), MACS[0]);
    expect(address, evidence()).toMatch(/^10\.77\.0\.\d+$/);
    const ssh = await execa('nsenter', [`--net=/proc/${vm!.pid}/ns/net`,
      'ssh', '-i', join(dir, 'id'), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=20',
      `root@${address}`, 'hostname; echo @@; cat /proc/net/bonding/bond0; echo @@; cat /proc/cmdline; echo @@; findmnt -n -o SOURCE /; echo @@; ' +
        'lsblk -bdno SIZE /dev/vda; echo @@; df -B1 --output=size / | tail -n 1; echo @@; if [ -d /sys/firmware/efi ]; then echo uefi; else echo bios; fi',
    ], { reject: false, timeout: 90_000 });
    expect(ssh.exitCode, String(ssh.stderr)).toBe(0);
    const [hostname, bonding, cmdline, rootSource, diskBytes, rootBytes, booted] = String(ssh.stdout).split('\n@@\n');
    expect(hostname?.trim()).toBe(DEVICE);
    expect(bonding).toContain('Bonding Mode: IEEE 802.3ad Dynamic link aggregation');
    expect(bonding).toContain('Transmit Hash Policy: layer3+4');
    expect(bonding).toContain('MII Polling Interval (ms): 100');
    const parsed = await execa('jq', ['-R', '-s', '-c', '-L', LIB, 'include "bond-facts"; bond_facts'], { input: bonding });
    const bond = JSON.parse(String(parsed.stdout)) as { mode: string; partner_mac: string; settled: boolean; slaves: { mac: string }[] };
    expect(bond).toMatchObject({ mode: '802.3ad', partner_mac: SWITCH_MAC, settled: true });
    expect(bond.slaves.map((s) => s.mac).sort()).toEqual([...MACS]);
    expect(cmdline).toContain('console=ttyS1,115200n8');
    expect(rootSource?.trim()).toBe('/dev/vda3');
    // the installer grew the root (a ~1 GiB file system in the image) to the end of the 4 GB disk
    expect(Number(diskBytes)).toBe(4 * 1024 ** 3);
    expect(Number(rootBytes), `root ${rootBytes} of disk ${diskBytes}`).toBeGreaterThan(3 * 1024 ** 3);
    expect(booted?.trim()).toBe(firmware);
  }, 120_000);
});
