/**
 * The dashboard's world on 127.0.0.1: the real metalboot server (createApp's handler with the
 * dashboard's routes, as `metalboot serve` mounts them) over a temp state dir with an installer
 * image and a RAM image, the Metal simulator (no VM behind it), and what a device does when the
 * simulator boots it: fetch its script and assets from the server and phone home. Tokens come
 * from the script the server serves, as a real device gets them.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { dashboardRoutes } from '../../src/dashboard/index.js';
import { EventStore } from '../../src/events/store.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { scriptUrls } from '../../src/ipxe/index.js';
import { loadProvider } from '../../src/reimage/provider-factory.js';
import { createApp } from '../../src/server/app.js';
import { BootStore } from '../../src/boots/store.js';
import type { ServerContext } from '../../src/server/context.js';
import { createMetalSimulator } from '../../src/sim/metal/index.js';
import type { MetalSimulator } from '../../src/sim/metal/index.js';

export const SECRET = 'dashboard-secret-7f3a';
export const WRITE_TOKEN = 'operator-token-write-5d1c9e';
export const READ_TOKEN = 'operator-token-read-2b8f44';
export const METAL_TOKEN = 'metal-TOKEN-dashboard-0c1d';
export const WEB_ID = '6f9d0c1e-1111-4a2b-9c3d-00000000000a';
export const LK_ID = '6f9d0c1e-2222-4a2b-9c3d-00000000000b';

export interface World {
  readonly dir: string;
  readonly config: Config;
  readonly url: string;
  readonly sim: MetalSimulator;
  readonly events: EventStore;
  readonly context: ServerContext;
  /** Boots the simulator made, with what the device fetched. */
  readonly boots: { device: string; reason: string; fetched: string[] }[];
  /** Fetches a device's script from the server (a `script` event), returns it and its phone-home URL. */
  fetchScript(device: string): Promise<{ script: string; eventsUrl: string }>;
  /** Fetches what the script loads (kernel, initrd: `kernel`/`initrd` events). */
  fetchAssets(script: string): Promise<string[]>;
  phoneHome(eventsUrl: string, state: string, message: string): Promise<number>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Extra devices rack-0001…, to measure the devices page at scale. */
  readonly extraDevices?: number;
  /** Collects the server's log lines (JSON) here instead of discarding them. */
  readonly log?: string[];
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-dashboard-'));
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
  const url = `http://127.0.0.1:${port}`;
  const extra = Array.from({ length: options.extraDevices ?? 0 }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return `  rack-${n}:\n    image: ${i % 2 ? 'ram' : 'inst'}\n    macs: ["02:00:00:00:${n.slice(0, 2)}:${n.slice(2)}"]\n`;
  }).join('');
  const yaml = `server:
  listen: 127.0.0.1:${port}
  public_url: ${url}
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
  web-2:
    image: inst
    macs: ["b4:96:91:aa:bb:02"]
  lk-1:
    metal_id: ${LK_ID}
    image: ram
    macs: ["b4:96:91:aa:bb:03"]
${extra}`;
  const configFile = join(dir, 'metalboot.yaml');
  await writeFile(configFile, yaml);
  const config = parseConfig(yaml, configFile);
  const events = new EventStore(':memory:');
  let apiUrl = '';
  const provider = (cfg: Config) => loadProvider('metal', { config: cfg, env: { METAL_AUTH_TOKEN: METAL_TOKEN, METAL_API_URL: apiUrl } });
  // Every device armed, as `reimage` or `metalboot arm` would: the test's boots fetch scripts and post reports.
  const bootStore = new BootStore(':memory:');
  for (const name of Object.keys(config.devices)) bootStore.arm(name);
  const { handler, context } = createApp({
    config, secret: SECRET, events, boots: bootStore,
    logger: options.log ? pino({ level: 'info' }, { write: (line: string) => void options.log!.push(line) }) : pino({ level: process.env.TEST_LOG ? 'info' : 'silent' }),
    uploadToken: WRITE_TOKEN, readToken: READ_TOKEN, extraRoutes: dashboardRoutes({ provider }),
  });
  http.on('request', handler);

  const fetchScript = async (device: string): Promise<{ script: string; eventsUrl: string }> => {
    // Each boot the test drives is an armed one, as after a re-image: a `booted` report ends a boot,
    // and after `installed` the device's script is the local-disk one, so either needs a new arm.
    const boot = bootStore.current(device);
    if (!boot || boot.installedAt !== undefined) bootStore.arm(device);
    const script = await (await fetch(`${url}/ipxe/${device}`)).text();
    const eventsUrl = /metalboot\.events=(\S+)/.exec(script)?.[1];
    if (!eventsUrl) throw new Error(`the script of ${device} names no events URL:\n${script}`);
    return { script, eventsUrl };
  };
  const fetchAssets = async (script: string): Promise<string[]> => {
    const urls = scriptUrls(script);
    for (const asset of urls) await (await fetch(asset)).arrayBuffer();
    return urls;
  };
  const phoneHome = async (eventsUrl: string, state: string, message: string): Promise<number> =>
    (await fetch(eventsUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state, message }) })).status;

  const boots: World['boots'] = [];
  const nameOf: Record<string, string> = { [WEB_ID]: 'web-1', [LK_ID]: 'lk-1' };
  const sim = createMetalSimulator({
    token: METAL_TOKEN,
    projectId: config.metal.projectId!,
    timings: { rebootMs: 300, reinstallMs: 300, powerMs: 40, provisionMs: 80 },
    devices: [
      { id: WEB_ID, hostname: 'web-1', operatingSystem: 'custom_ipxe', ipxeScriptUrl: 'http://old.invalid/ipxe/web-1', alwaysPxe: false },
      { id: LK_ID, hostname: 'lk-1', operatingSystem: 'ubuntu_22_04', alwaysPxe: false },
    ],
    hooks: {
      // The device boots: iPXE fetches the script the simulator holds, then what it loads; the installer reports.
      async onBoot(device, boot) {
        const record = { device: device.hostname, reason: boot.reason, fetched: [] as string[] };
        boots.push(record);
        const name = nameOf[device.id];
        if (!boot.ipxeScriptUrl || !name) return;
        const script = await (await fetch(boot.ipxeScriptUrl)).text();
        record.fetched.push(boot.ipxeScriptUrl, ...(await fetchAssets(script)));
        const eventsUrl = /metalboot\.events=(\S+)/.exec(script)?.[1];
        if (!eventsUrl) return;
        await new Promise((resolve) => setTimeout(resolve, 300));
        await phoneHome(eventsUrl, 'running', 'partitioning disks');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await phoneHome(eventsUrl, 'installed', 'installed; rebooting from disk');
      },
    },
  });
  apiUrl = (await sim.listen()).apiUrl;
  return {
    dir, config, url, sim, events, context, boots, fetchScript, fetchAssets, phoneHome,
    async close() {
      await sim.close();
      for (const stream of context.streams) stream.end();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      events.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
