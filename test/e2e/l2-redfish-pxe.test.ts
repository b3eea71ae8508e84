/**
 * Both halves of issue 12 at once: `metalboot reimage rf-1 --provider redfish --wait` against the
 * Redfish simulator whose system is a QEMU VM on the own-L2 network of l2-boot.test.ts (a site
 * DHCP server, `metalboot serve --dhcp proxy`). The Reset starts the VM on its tap with SeaBIOS and
 * the NIC's iPXE ROM: DHCP from the site, the chain from metalboot's proxy, its script by MAC.
 * The CLI runs inside that network (the simulator is relayed to 127.0.0.1:<port> there).
 * Evidence: the CLI's summary, the simulator's request record, serve's relayed dnsmasq log and boot
 * events, the VM's console.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgv } from '../../src/demo/cli-in-netns.js';
import type { BootEvent } from '../../src/events/types.js';
import { IPXE_UNDIONLY_KPXE } from '../../src/host/debian-files.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { createRedfishSimulator, quirksOf } from '../../src/sim/redfish/index.js';
import type { RedfishSimulator } from '../../src/sim/redfish/index.js';
import { consoleText } from '../../src/vm/console-text.js';
import { tapNicArgs } from '../../src/vm/l2.js';
import { spawnInNetns } from '../../src/vm/netns.js';
import type { NetnsProcess } from '../../src/vm/netns.js';
import { HTTP_PORT, SERVER_ADDRESS, l2NetScript } from './helpers/l2-net.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, vmSkipReason } from './helpers/vm-env.js';

const OPERATOR_TOKEN = 'l2-e2e-operator-token';
process.env.METALBOOT_TOKEN = OPERATOR_TOKEN; // serve (a child) requires it for /api; reimage --wait sends it

const L2_BRIDGE = 'l2brr'; // its own: serve --dhcp's files are per interface name
const TIMEOUT_S = 360;
const MAC = '52:54:00:4c:52:01';
const USER = 'rf-admin';
const PASSWORD = 'e2e-Redfish-L2-Pass-8812';

const reason = (await vmSkipReason()) ?? (['/usr/sbin/dnsmasq', IPXE_UNDIONLY_KPXE].find((f) => !existsSync(f)) ? 'missing dnsmasq or iPXE' : undefined);
if (reason) console.warn(`[skip] Redfish on own L2 e2e: ${reason}`);

describe.skipIf(reason !== undefined)('reimage --provider redfish --wait: the simulated system is a VM PXE-booting on the own L2', () => {
  let dir: string;
  let net: NetnsProcess;
  let sim: RedfishSimulator;
  let relay: Server;
  let qemu: ResultPromise | undefined;
  const vmStarts: number[] = [];
  let cli: { exitCode?: number; stdout: string; stderr: string; ms: number };

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-rfl2-');
    const state = join(dir, 'state');
    const kernel = await addAssetFromFile(state, NETBOOT_KERNEL, 'linux');
    const initrd = await addAssetFromFile(state, NETBOOT_INITRD, 'initrd.gz');
    await writeManifest(state, {
      schema: 1, name: 'deb', type: 'files', installer: false,
      variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: ['priority=critical', 'metalboot.device={{device}}'] } },
    });
    const vmDir = join(dir, 'rf-1');
    await mkdir(vmDir);
    await writeFile(join(vmDir, 'sercon-port.bin'), Buffer.from([0xf8, 0x03]));
    const startQemu = (): void => {
      qemu = execa('nsenter', [`--net=/proc/${net.pgid}/ns/net`, 'qemu-system-x86_64', '-name', 'rf-1', '-nodefaults', '-machine', 'pc', '-accel', 'tcg',
        '-m', '768', '-display', 'none', '-serial', `file:${join(vmDir, 'ttyS0.log')}`, '-serial', `file:${join(vmDir, 'ttyS1.log')}`,
        '-fw_cfg', `name=etc/sercon-port,file=${join(vmDir, 'sercon-port.bin')}`, ...tapNicArgs([{ tap: 'l2s0', mac: MAC }]), '-boot', 'order=n'], { reject: false });
      vmStarts.push(Date.now());
    };
    const stopQemu = async (): Promise<void> => {
      qemu?.kill('SIGTERM');
      await qemu;
      qemu = undefined;
    };
    sim = createRedfishSimulator({
      systems: [{ id: 'rf-1', macs: [MAC], powerState: 'On' }],
      users: [{ username: USER, password: PASSWORD }],
      quirks: quirksOf(['strict-if-match']),
      timings: { powerMs: 500 },
      hooks: {
        onPowerOff: stopQemu,
        onReset: async (_system, boot) => {
          await stopQemu();
          if (boot.target === 'Pxe') startQemu();
        },
      },
    });
    const simPort = Number(new URL((await sim.listen()).url).port);
    relay = createServer((client) => {
      const upstream = connect(simPort, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(join(dir, 'bmc.sock'), resolve));
    const configFile = join(dir, 'metalboot.yaml');
    await writeFile(configFile, `server:\n  listen: ${SERVER_ADDRESS}:${HTTP_PORT}\n  public_url: http://${SERVER_ADDRESS}:${HTTP_PORT}\n  state_dir: ${state}\n` +
      `images:\n  deb: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }\n` +
      `devices:\n  rf-1:\n    image: deb\n    macs: ["${MAC}"]\n    firmware: bios\n    bmc:\n      url: http://127.0.0.1:${simPort}\n      username_env: RF_USER\n      password_env: RF_PASSWORD\n`);
    const node = cliArgv();
    const serve = [node.file, ...node.args, 'serve', '--config', configFile, '--socket', join(dir, 'serve.sock'), '--dhcp', 'proxy', '--interface', L2_BRIDGE];
    await writeFile(join(dir, 'net.sh'), l2NetScript({ dir, bridge: L2_BRIDGE, serve, vms: [], memoryMb: 768, spareTaps: 1 }));
    net = await spawnInNetns({
      file: 'sh', args: [join(dir, 'net.sh')], forwards: [{ guestPort: simPort, socketPath: join(dir, 'bmc.sock') }],
      output: { file: join(dir, 'netns.log') }, timeoutMs: (TIMEOUT_S + 180) * 1000,
    });
    for (let i = 0; i < 600 && !(await readFile(join(dir, 'serve.log'), 'utf8').catch(() => '')).includes(`DHCP on ${L2_BRIDGE}`); i++) await sleep(200);

    const started = Date.now();
    const run = await execa('nsenter', [`--net=/proc/${net.pgid}/ns/net`, node.file, ...node.args,
      'reimage', 'rf-1', '--provider', 'redfish', '--wait', '--json', '--timeout', String(TIMEOUT_S), '--config', configFile], {
      reject: false, env: { ...process.env, RF_USER: USER, RF_PASSWORD: PASSWORD }, timeout: (TIMEOUT_S + 60) * 1000,
    });
    cli = { ...(run.exitCode === undefined ? {} : { exitCode: run.exitCode }), stdout: String(run.stdout), stderr: String(run.stderr), ms: Date.now() - started };
    await writeFile(join(dir, 'reimage.out'), `${cli.stdout}\n--- stderr\n${cli.stderr}`);
  }, (TIMEOUT_S + 120) * 1000);

  afterAll(async () => {
    qemu?.kill('SIGKILL');
    await net?.stop();
    await sim?.close();
    await new Promise((resolve) => relay?.close(resolve));
    await rm(`/run/metalboot/dhcp-${L2_BRIDGE}`, { recursive: true, force: true });
    if (process.env.METALBOOT_KEEP_E2E) console.log(`[redfish L2 e2e] kept ${dir}`);
    else if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('succeeds; the simulator saw a Once/Continuous Pxe override and one reset, and no schema violation', () => {
    expect(cli.exitCode, `${cli.stderr}\n${cli.stdout}`).toBe(0);
    expect(JSON.parse(cli.stdout.trim())).toMatchObject({ result: 'succeeded' });
    expect(sim.violations()).toEqual([]);
    const changes = sim.requests().filter((r) => r.method !== 'GET');
    expect(changes.filter((r) => r.path.endsWith('ComputerSystem.Reset')).map((r) => r.status)).toEqual([204]);
    expect(changes.filter((r) => r.method === 'PATCH' && r.status === 200).map((r) => r.body)).toEqual([expect.objectContaining({ Boot: expect.objectContaining({ BootSourceOverrideTarget: 'Pxe' }) })]);
    const t0 = sim.requests()[0]!.atMs;
    console.log(`[redfish L2 e2e] reimage --wait ${cli.ms} ms; changes: ${changes.map((r) => `+${r.atMs - t0} ${r.method} ${r.path.split('/').pop()} ${r.status}${r.ifMatch ? ` If-Match ${r.ifMatch}` : ''}`).join(', ')}`);
  });

  it('the VM got the chain from metalboot\'s proxy on the L2, fetched its script by MAC, kernel, initrd, and reached init', async () => {
    const log = (await readFile(join(dir, 'serve.log'), 'utf8')).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { time: number; msg?: string; dnsmasq?: string });
    expect(log.some((l) => l.dnsmasq === 'dhcp' && l.msg?.endsWith(`PXE(${L2_BRIDGE}) ${MAC} proxy`))).toBe(true);
    const events = await new Promise<BootEvent[]>((resolve, reject) => {
      request({ socketPath: join(dir, 'serve.sock'), path: '/api/devices/rf-1/events', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString())).on('end', () => resolve(JSON.parse(body) as BootEvent[]));
      }).on('error', reject).end();
    });
    const fetches = events.filter((e) => e.kind === 'script' || e.kind === 'kernel' || e.kind === 'initrd');
    expect(fetches.map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd']);
    expect(fetches[0]!.path).toBe(`/ipxe/${MAC.replaceAll(':', '-')}`);
    const deadline = Date.now() + 240_000;
    let text = '';
    while (Date.now() < deadline && !/Run \/init as init process/.test(text)) {
      await sleep(1_000);
      text = consoleText(await readFile(join(dir, 'rf-1/ttyS1.log'), 'utf8').catch(() => ''));
    }
    expect(text).toMatch(/Run \/init as init process/);
    const reset = Date.parse(sim.world.resets[0]!.at);
    const offer = log.find((l) => l.msg?.endsWith(`${MAC} proxy`))!;
    console.log(`[redfish L2 e2e] ms from the Reset: VM started ${vmStarts[0]! - reset}, proxy offer ${offer.time - reset}, ${fetches.map((e) => `${e.kind} ${Date.parse(e.time) - reset}`).join(', ')}, init seen by ${Date.now() - reset}`);
  }, 260_000);
});
