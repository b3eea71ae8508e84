import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { metalPortMacs } from '../../src/cli/serve.js';
import { runServe } from '../../src/server/run.js';
import type { ServeHandle } from '../../src/server/run.js';
import { cachedPortMacs } from '../../src/server/port-macs.js';
import { createMetalSimulator } from '../../src/sim/metal/index.js';
import type { MetalSimulator } from '../../src/sim/metal/index.js';
import type { DeviceConfig } from '../../src/config/types.js';

const METAL_ID = '6f9d1c3e-0000-4000-8000-00000000aa01';
const PORT_MACS = ['b4:96:91:0a:0b:01', 'b4:96:91:0a:0b:02'];
const SECRET = 'port-macs-secret';

describe('bond slaves come from the Metal device network_ports when the config lists none', () => {
  let dir: string;
  let sim: MetalSimulator;
  let serve: ServeHandle;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-portmacs-'));
    sim = createMetalSimulator({ token: 'metal-token', devices: [{ id: METAL_ID, hostname: 'db-1', macs: PORT_MACS }] });
    const { apiUrl } = await sim.listen(0);
    await writeFile(join(dir, 'k'), 'kernel');
    await writeFile(join(dir, 'i'), 'initrd');
    const stateDir = join(dir, 'state');
    await writeFile(
      join(dir, 'metalboot.yaml'),
      `server:\n  listen: 127.0.0.1:0\n  state_dir: ${stateDir}\nimages:\n  deb: { type: debian, netboot_dir: ${dir} }\ndevices:\n  db-1:\n    image: deb\n    metal_id: ${METAL_ID}\n  web-1:\n    image: deb\n    macs: ["b4:96:91:aa:bb:01"]\n`,
    );
    const kernel = await addAssetFromFile(stateDir, join(dir, 'k'), 'linux');
    const initrd = await addAssetFromFile(stateDir, join(dir, 'i'), 'initrd.gz');
    await writeManifest(stateDir, { schema: 1, name: 'deb', type: 'debian', installer: true, variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: [] } } });
    // wired as `metalboot serve` wires it: the composition root hands the server the Metal lookup
    const env = { METAL_AUTH_TOKEN: 'metal-token', METAL_API_URL: apiUrl, METALBOOT_SECRET: SECRET };
    serve = await runServe(
      { configFile: join(dir, 'metalboot.yaml') },
      { env, providerMacs: metalPortMacs(env), logger: pino({ level: 'silent' }), say: () => undefined, signals: new (await import('node:events')).EventEmitter() },
    );
  });

  afterAll(async () => {
    await serve?.stop();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("renders the preseed's bond slaves from the device's network_ports, through the spec-checked API", async () => {
    const response = await fetch(`${serve.server.url}/preseed/db-1.cfg?token=${serve.server.context.boots.arm('db-1').token}`);
    expect(response.status).toBe(200);
    const body = await response.text();
    for (const mac of PORT_MACS) expect(body).toContain(mac);
    expect(sim.requests().map((r) => r.operation)).toEqual(['getDevice']);
    expect(sim.violations()).toEqual([]);
  });

  it("puts the same network_ports MACs into the device's data (the RAM image's bond slaves)", async () => {
    const response = await fetch(`${serve.server.url}/device-data/db-1.cpio?token=${serve.server.context.boots.arm('db-1').token}`);
    expect(response.status).toBe(200);
    const text = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(text).toContain(`"slaves": [\n      "${PORT_MACS[0]}",\n      "${PORT_MACS[1]}"\n    ]`);
  });

  it('keeps the config MACs when it lists them, without asking the API', async () => {
    const before = sim.requests().length;
    const body = await (await fetch(`${serve.server.url}/preseed/web-1.cfg?token=${serve.server.context.boots.arm('web-1').token}`)).text();
    expect(body).toContain('b4:96:91:aa:bb:01');
    expect(sim.requests().length).toBe(before);
  });
});

describe('metalPortMacs', () => {
  it('gives the server no provider lookup without METAL_AUTH_TOKEN', () => {
    expect(metalPortMacs({ METAL_API_URL: 'http://127.0.0.1:1' })).toBeUndefined();
    expect(metalPortMacs({ METAL_AUTH_TOKEN: 't' })).toBeTypeOf('function');
  });
});

describe('cachedPortMacs', () => {
  const device = { name: 'db-1', macs: [], metalId: METAL_ID } as unknown as DeviceConfig;

  it('asks once per TTL and turns a failed lookup into no MACs plus a warning', async () => {
    let calls = 0;
    let clock = 0;
    const warnings: string[] = [];
    const lookup = cachedPortMacs(async () => {
      calls += 1;
      if (calls === 2) throw new Error('HTTP 503');
      return PORT_MACS;
    }, { ttlMs: 1000, now: () => clock, warn: (m) => warnings.push(m) });
    expect(await lookup(device)).toEqual(PORT_MACS);
    expect(await lookup(device)).toEqual(PORT_MACS);
    expect(calls).toBe(1);
    clock = 2000;
    expect(await lookup(device)).toEqual([]);
    expect(warnings).toEqual(['device db-1: could not read its network ports from the provider: HTTP 503']);
  });
});
