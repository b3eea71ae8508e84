/**
 * A whole re-image world on 127.0.0.1: the real metalboot server (createApp's handler, the one
 * listener startServer uses too) over a temp state dir with one RAM image and one installer image,
 * the Metal simulator, and a fake device that — when the simulator boots it — fetches its iPXE
 * script, kernel and initrd and phones home.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { BootStore, bootsFile } from '../../src/boots/store.js';
import { EventStore } from '../../src/events/store.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { deviceUrls, scriptUrls } from '../../src/ipxe/index.js';
import { createApp } from '../../src/server/app.js';
import { createMetalSimulator } from '../../src/sim/metal/index.js';
import type { MetalSimulator } from '../../src/sim/metal/index.js';

export const SECRET = 'reimage-secret-42';
export const TOKEN = 'metal-TOKEN-do-not-leak-91b3';
/** The server's METALBOOT_TOKEN: `reimage --wait` follows the events API with it. */
export const OPERATOR_TOKEN = 'operator-token-77c1';
export const WEB_ID = '6f9d0c1e-1111-4a2b-9c3d-00000000000a';
export const LK_ID = '6f9d0c1e-2222-4a2b-9c3d-00000000000b';

/**
 * What the fake device does when it boots: 'succeeded' phones home `succeeded` (what older
 * installers send for installed), then, as the installed system, `booted` with FACTS;
 * 'installed' stops after `installed`; 'failed' reports failure; 'none' only fetches; 'dead' does nothing.
 */
export type DeviceBehaviour = 'succeeded' | 'installed' | 'failed' | 'none' | 'dead';

/** The facts the fake installed system reports (the shape the rootfs report unit sends). */
export const FACTS = {
  hostname: 'web-1', kernel: '6.1.0-50-amd64', cmdline: 'console=ttyS1,115200n8',
  bond: { mode: '802.3ad', lacp_rate: 'slow', miimon: 100, xmit_hash_policy: 'layer3+4', partner_mac: '02:00:00:5e:10:01', slaves: [{ mac: '52:54:00:aa:00:01' }, { mac: '52:54:00:aa:00:02' }] },
  addresses: [{ ifname: 'bond0', family: 'inet', address: '10.77.0.150/24' }],
};

export interface World {
  readonly dir: string;
  readonly configFile: string;
  readonly config: Config;
  readonly serverUrl: string;
  readonly apiUrl: string;
  readonly sim: MetalSimulator;
  readonly events: EventStore;
  /** Armed boots (`<stateDir>/boots.db`), shared with the CLI's reimage. */
  readonly bootStore: BootStore;
  behaviour: DeviceBehaviour;
  /** Boots the fake devices did. */
  readonly boots: { device: string; reason: string }[];
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-reimage-'));
  const stateDir = join(dir, 'state');
  await writeFile(join(dir, 'linux'), Buffer.alloc(4096, 1));
  await writeFile(join(dir, 'initrd.gz'), Buffer.alloc(8192, 2));
  const kernel = await addAssetFromFile(stateDir, join(dir, 'linux'), 'linux');
  const initrd = await addAssetFromFile(stateDir, join(dir, 'initrd.gz'), 'initrd.gz');
  for (const [name, installer] of [['inst', true], ['ram', false]] as const) {
    await writeManifest(stateDir, {
      schema: 1, name, type: 'files', installer,
      variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['metalboot.events={{events_url}}'] } },
    });
  }
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as { port: number }).port;
  const serverUrl = `http://127.0.0.1:${port}`;
  const yaml = `server:
  listen: 127.0.0.1:${port}
  public_url: ${serverUrl}
  state_dir: ${stateDir}
metal:
  project_id: 0b2a1c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
images:
  inst:
    type: files
    kernel: ${join(dir, 'linux')}
    initrd: ${join(dir, 'initrd.gz')}
  ram:
    type: files
    kernel: ${join(dir, 'linux')}
    initrd: ${join(dir, 'initrd.gz')}
devices:
  web-1:
    metal_id: ${WEB_ID}
    image: inst
    macs: ["b4:96:91:aa:bb:01"]
  lk-1:
    metal_id: ${LK_ID}
    image: ram
    macs: ["b4:96:91:aa:bb:03"]
`;
  const configFile = join(dir, 'metalboot.yaml');
  await writeFile(configFile, yaml);
  const config = parseConfig(yaml, configFile);
  const events = new EventStore(':memory:');
  // the boot store `metalboot serve` would open: reimage (flow or CLI) arms devices in it
  const bootStore = new BootStore(bootsFile(stateDir));
  const { handler, context } = createApp({ config, secret: SECRET, events, boots: bootStore, uploadToken: OPERATOR_TOKEN, logger: pino({ level: 'silent' }) });
  http.on('request', handler);

  const boots: { device: string; reason: string }[] = [];
  const world: World = {
    dir, configFile, config, serverUrl, apiUrl: '', sim: undefined as unknown as MetalSimulator, events, bootStore, behaviour: 'succeeded', boots,
    async close() {
      await sim.close();
      for (const stream of context.streams) stream.end();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      bootStore.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  const nameOf: Record<string, string> = { [WEB_ID]: 'web-1', [LK_ID]: 'lk-1' };
  const sim = createMetalSimulator({
    token: TOKEN,
    projectId: config.metal.projectId!,
    timings: { rebootMs: 400, reinstallMs: 400, powerMs: 40, provisionMs: 80 },
    devices: [
      { id: WEB_ID, hostname: 'web-1', operatingSystem: 'custom_ipxe', ipxeScriptUrl: 'http://old.invalid/ipxe/web-1', alwaysPxe: false },
      { id: LK_ID, hostname: 'lk-1', operatingSystem: 'ubuntu_22_04', alwaysPxe: false },
    ],
    hooks: {
      async onBoot(device, boot) {
        boots.push({ device: device.hostname, reason: boot.reason });
        const name = nameOf[device.id];
        if (!boot.ipxeScriptUrl || !name || world.behaviour === 'dead') return;
        const script = await (await fetch(boot.ipxeScriptUrl)).text();
        for (const url of scriptUrls(script)) await (await fetch(url)).arrayBuffer();
        if (world.behaviour === 'none') return;
        // the boot's token, as the provider was given it in the script URL (reimage armed the device)
        const token = new URL(boot.ipxeScriptUrl).searchParams.get('token') ?? '';
        const eventsUrl = deviceUrls(serverUrl, name, token).events;
        await fetch(eventsUrl, { method: 'POST', body: JSON.stringify({ state: 'running', message: 'installing' }) });
        await fetch(eventsUrl, { method: 'POST', body: JSON.stringify({ state: world.behaviour, message: world.behaviour === 'failed' ? 'no disk found' : 'done' }) });
        if (world.behaviour === 'succeeded') await fetch(eventsUrl, { method: 'POST', body: JSON.stringify({ state: 'booted', message: 'up', facts: FACTS }) });
      },
    },
  });
  const { apiUrl } = await sim.listen();
  Object.assign(world, { sim, apiUrl });
  return world;
}
