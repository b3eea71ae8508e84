/**
 * `metalboot reimage rf-1 --provider redfish --wait --json`, the real CLI, against the Redfish
 * simulator whose system is backed by a QEMU VM (sim/redfish/vm-backing.ts). The simulator checks
 * every request and answer against DMTF's schemas; with the `no-continuous` profile the provider
 * sets a `Once` + `Pxe` override, so the reset boots the VM from the network (iPXE → /boot.ipxe →
 * its script by MAC → kernel → initrd, up to the kernel's init on ttyS1), and the next reset,
 * with the override used up, boots from the disk (the VM is stopped: it has none).
 *
 * The image is the Debian netboot kernel and initrd declared as a RAM image (`installer: false`),
 * so `--wait` settles when the server saw the initrd fetched; init on the console is checked after.
 */
import { createServer as createNetServer, connect } from 'node:net';
import type { Server } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runCliInNetns } from '../../src/demo/cli-in-netns.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { startServer } from '../../src/server/start.js';
import type { RunningServer } from '../../src/server/start.js';
import { createRedfishSimulator, createRedfishVmBacking, quirksOf } from '../../src/sim/redfish/index.js';
import type { RedfishSimulator, RedfishVmBacking } from '../../src/sim/redfish/index.js';
import { consoleText } from '../../src/vm/console-text.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, skipUnlessVms } from './helpers/vm-env.js';

/** The server's METALBOOT_TOKEN: `reimage --wait` follows the boot events with it. */
const OPERATOR_TOKEN = 'l2-redfish-operator-token';

const skip = await skipUnlessVms();
const TIMEOUT_S = 420;
const GUEST_PORT = 8080;
const MAC = '52:54:00:52:46:01';
const USER = 'rf-admin';
const PASSWORD = 'e2e-Redfish-Pass-4417';

describe.skipIf(skip)('reimage --provider redfish --wait against the simulator backed by a QEMU VM', () => {
  let dir: string;
  let server: RunningServer;
  let sim: RedfishSimulator;
  let backing: RedfishVmBacking;
  let relay: Server;
  let exitCode: number | null;
  let stdout = '';
  let stderr = '';
  let cliMs = 0;

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-rf-'); // short: unix sockets live here
    const state = join(dir, 'state');
    const kernel = await addAssetFromFile(state, NETBOOT_KERNEL, 'linux');
    const initrd = await addAssetFromFile(state, NETBOOT_INITRD, 'initrd.gz');
    await writeManifest(state, {
      schema: 1, name: 'deb', type: 'files', installer: false,
      variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['priority=critical', 'metalboot.device={{device}}'] } },
    });
    const serverSocket = join(dir, 'serve.sock');
    backing = createRedfishVmBacking({ serverSocket, bootUrl: `http://10.0.2.2:${GUEST_PORT}/boot.ipxe`, workRoot: join(dir, 'vms'), firmware: 'bios', timeoutMs: (TIMEOUT_S + 120) * 1000 });
    sim = createRedfishSimulator({
      systems: [{ id: 'rf-1', macs: [MAC], powerState: 'On' }],
      users: [{ username: USER, password: PASSWORD }],
      quirks: quirksOf(['no-continuous']),
      timings: { powerMs: 500 },
      hooks: backing.hooks,
    });
    const { url } = await sim.listen();
    const simPort = Number(new URL(url).port);
    const configText = `server:\n  public_url: http://10.0.2.2:${GUEST_PORT}\n  state_dir: ${state}\nimages:\n  deb: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }\n` +
      `devices:\n  rf-1:\n    image: deb\n    macs: ["${MAC}"]\n    firmware: bios\n    bmc:\n      url: ${url}\n      username_env: RF_USER\n      password_env: RF_PASSWORD\n`;
    const configFile = join(dir, 'metalboot.yaml');
    await writeFile(configFile, configText);
    server = await startServer({ config: parseConfig(configText, configFile), secret: 'e2e-secret', logger: pino({ level: 'silent' }), listen: false, socketPath: serverSocket, uploadToken: OPERATOR_TOKEN });
    // The CLI runs where the VM's network is (10.0.2.2 is the server); 127.0.0.1:<simPort> there reaches the simulator through this relay.
    const apiSocket = join(dir, 'bmc.sock');
    relay = createNetServer((client) => {
      const upstream = connect(simPort, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(apiSocket, resolve));

    const started = Date.now();
    const cli = await runCliInNetns({
      args: ['reimage', 'rf-1', '--provider', 'redfish', '--wait', '--json', '--timeout', String(TIMEOUT_S), '--config', configFile],
      serverSocket, serverPort: GUEST_PORT, apiSocket, apiPort: simPort,
      env: { RF_USER: USER, RF_PASSWORD: PASSWORD, METALBOOT_TOKEN: OPERATOR_TOKEN }, timeoutMs: (TIMEOUT_S + 60) * 1000,
    });
    cli.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    cli.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exitCode = await cli.exited;
    cliMs = Date.now() - started;
    await writeFile(join(dir, 'reimage.out'), `${stdout}\n--- stderr\n${stderr}`);
  }, (TIMEOUT_S + 120) * 1000);

  afterAll(async () => {
    await backing?.stopAll();
    await sim?.close();
    await server?.close(1000);
    await new Promise((resolve) => relay?.close(resolve));
    if (process.env.METALBOOT_KEEP_E2E) console.log(`[redfish e2e] kept ${dir}`);
    else if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 with a succeeded summary; the simulator saw no schema violation', () => {
    expect(exitCode, `${stderr}\n${stdout}`).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ result: 'succeeded' });
    expect(sim.violations()).toEqual([]);
  });

  it('logs in, is refused Continuous, sets a Once + Pxe override instead, resets, and logs out; the call sequence with timings', () => {
    const requests = sim.requests();
    const changes = requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/\/[0-9a-f-]{8,}$/i, '/…')} ${r.status}`);
    expect(changes).toEqual([
      'POST /redfish/v1/SessionService/Sessions 201',
      'PATCH /redfish/v1/Systems/rf-1 400', // Continuous: PropertyValueNotInList (the no-continuous profile)
      expect.stringMatching(/^PATCH \/redfish\/v1\/Systems\/rf-1 20[04]$/),
      expect.stringMatching(/^POST \/redfish\/v1\/Systems\/rf-1\/Actions\/ComputerSystem\.Reset 20[04]$/),
      expect.stringMatching(/^DELETE \/redfish\/v1\/SessionService\/Sessions\/\S+ 20[04]$/),
    ]);
    const [refused, patch] = requests.filter((r) => r.method === 'PATCH');
    expect(refused!.body).toMatchObject({ Boot: { BootSourceOverrideEnabled: 'Continuous' } });
    expect(patch!.body).toMatchObject({ Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once' } });
    const t0 = requests[0]!.atMs;
    console.log(`[redfish e2e] calls (ms from the first, answered after):\n${requests.map((r) => `  +${r.atMs - t0} ${r.method} ${r.path} → ${r.status} (${(r.doneMs ?? r.atMs) - r.atMs} ms)`).join('\n')}`);
    console.log(`[redfish e2e] reimage --wait took ${cliMs} ms`);
  });

  it('the reset booted the VM from the network: its script by MAC, kernel, initrd, then the kernel\'s init on ttyS1', async () => {
    expect(sim.world.boots.map((b) => b.target)).toEqual(['Pxe']);
    const vm = backing.vm('rf-1');
    expect(vm).toBeDefined();
    const fetches = server.context.events.list({ device: 'rf-1' }).filter((e) => e.kind === 'script' || e.kind === 'kernel' || e.kind === 'initrd');
    expect(fetches.map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd']);
    expect(fetches[0]!.path).toBe(`/ipxe/${MAC.replaceAll(':', '-')}`);
    await vm!.waitForConsole(/Run \/init as init process/, 240_000);
    expect(consoleText(await vm!.readConsole())).toContain('metalboot.device=rf-1');
    const reset = Date.parse(sim.world.resets[0]!.at);
    const start = backing.events.find((e) => e.action === 'start')!.at;
    console.log(`[redfish e2e] ms from the Reset: VM started ${start - reset}, ${fetches.map((e) => `${e.kind} ${Date.parse(e.time) - reset}`).join(', ')}, init seen ${Date.now() - reset}`);
  }, 260_000);

  it('the Once override is used up: the next reset boots the disk (the VM is stopped)', async () => {
    const system = sim.world.systems.get('rf-1')!;
    expect(system.boot.enabled).toBe('Disabled');
    const outcome = sim.world.reset(system, 'ForceRestart', quirksOf(['no-continuous']));
    expect(outcome.result).toBe('started');
    if (outcome.result === 'started') await outcome.done;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(sim.world.boots.map((b) => b.target)).toEqual(['Pxe', 'Hdd']);
    expect(backing.events.map((e) => `${e.action}: ${e.why}`)).toEqual(['start: boots from Pxe', 'stop: powered off']);
    expect(backing.vm('rf-1')).toBeUndefined();
  }, 30_000);
});
