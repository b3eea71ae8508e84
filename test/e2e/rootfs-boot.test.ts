/**
 * The RAM image (type: rootfs) boots under QEMU with two NICs behind the LACP test switch, takes
 * its per-device data from a second initrd, and reports "booted" by itself. Passes only on what
 * the system produced: the login prompt on ttyS1, the POST its report unit sent to the test's
 * HTTP endpoint, and /proc read back over SSH with the device's key.
 *
 * The image is built in a setup step, never here (building needs the Debian mirror):
 *   npm run setup:rootfs     (→ $METALBOOT_CACHE_DIR/rootfs-state, default /var/cache/metalboot)
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { renderDeviceDataCpio } from '../../src/devicedata/index.js';
import { buildCmdline } from '../../src/ipxe/cmdline.js';
import { deviceUrls } from '../../src/ipxe/urls.js';
import { assetFile, readManifest } from '../../src/image/store.js';
import type { ImageManifest } from '../../src/image/manifest.js';
import { SHIPPED_DIR } from '../../src/image/rootfs/shipped.js';
import { spawnInNetns } from '../../src/providers/qemu/netns.js';
import type { NetnsProcess } from '../../src/providers/qemu/netns.js';
import { BRIDGE_ADDRESS, HTTP_PORT, SWITCH_MAC, lacpNetScript } from './helpers/lacp-net.js';

const STATE = join(process.env.METALBOOT_CACHE_DIR ?? '/var/cache/metalboot', 'rootfs-state');
const MACS = ['52:54:00:aa:00:01', '52:54:00:aa:00:02'] as const;
const BOOT_TIMEOUT_MS = 240_000;

interface Report { readonly at: number; readonly url: string; readonly body: string }

async function skipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (network namespaces, taps and QEMU need root here)';
  for (const program of ['qemu-system-x86_64', 'dnsmasq', 'jq', 'ssh', 'nsenter']) {
    if ((await execa('sh', ['-c', `command -v ${program}`], { reject: false })).exitCode !== 0) return `missing ${program}`;
  }
  if (!existsSync('/usr/bin/python3')) return 'missing /usr/bin/python3 (the LACP test switch)';
  if (!existsSync(join(STATE, 'images/ram.json'))) return `no rootfs image built in ${STATE}: run npm run setup:rootfs`;
  return undefined;
}

const reason = await skipReason();
if (reason) console.warn(`[skip] rootfs e2e boot: ${reason}`);

describe.skipIf(reason !== undefined)('RAM image (rootfs) on a bonded pair of NICs behind an LACP switch', () => {
  let dir: string;
  let vm: NetnsProcess | undefined;
  let server: Server | undefined;
  const reports: Report[] = [];
  const token = randomBytes(32).toString('hex');
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-rootfs-e2e-'));
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rootfs-e2e', '-f', join(dir, 'id')]);
    const publicKey = (await readFile(join(dir, 'id.pub'), 'utf8')).trim();
    const config = parseConfig(`images:\n  ram:\n    type: rootfs\ndevices:\n  ram-1:\n    image: ram\n    macs: [${MACS.join(', ')}]\n    ssh_keys: [${JSON.stringify(publicKey)}]\n`, join(dir, 'metalboot.yaml'));
    const manifest: ImageManifest = await readManifest(STATE, 'ram');
    const variant = manifest.variants.x86_64!;
    const device = config.devices['ram-1']!;
    const baseUrl = `http://${BRIDGE_ADDRESS}:${HTTP_PORT}`;
    // The image's initrd, then the device data (padded to 4 bytes between them, as iPXE does).
    const image = await readFile(assetFile(STATE, variant.initrd.sha256));
    const data = await renderDeviceDataCpio({ device, token, baseUrl });
    await writeFile(join(dir, 'initrd'), Buffer.concat([image, Buffer.alloc((4 - (image.length % 4)) % 4), data]));
    const args = buildCmdline({ device, image: config.images.ram!, variant, baseUrl, token, urls: deviceUrls(baseUrl, device.name, token) });
    const append = args.map(({ arg }) => arg).join(' ');

    const socketPath = join(dir, 'http.sock');
    const started = Date.now();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 65_536) chunks.push(chunk);
      });
      req.on('end', () => {
        reports.push({ at: Date.now() - started, url: `${req.method} ${req.url}`, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}\n');
      });
    });
    await new Promise<void>((resolve) => server!.listen(socketPath, resolve));
    const script = lacpNetScript({ dir, macs: MACS, kernel: assetFile(STATE, variant.kernel.sha256), initrd: join(dir, 'initrd'), append, memoryMb: 1024, cpus: 2 });
    await writeFile(join(dir, 'net.sh'), script);
    vm = await spawnInNetns({
      file: 'sh', args: [join(dir, 'net.sh')], forwards: [{ guestPort: HTTP_PORT, socketPath, host: '0.0.0.0' }],
      output: { file: join(dir, 'netns.log') }, timeoutMs: BOOT_TIMEOUT_MS + 120_000,
    });
    const vmStarted = Date.now();
    for (;;) {
      const elapsed = Date.now() - vmStarted;
      const console1 = await readFile(join(dir, 'ttyS1.log'), 'utf8').catch(() => '');
      if (timings.kernel === undefined && console1.includes('Linux version')) timings.kernel = elapsed;
      if (timings.login === undefined && /^ram-1 login: /m.test(console1)) timings.login = elapsed;
      const booted = reports.find((r) => r.url.startsWith('POST ') && r.body.includes('"booted"'));
      if (booted && timings.report === undefined) timings.report = booted.at - (vmStarted - started);
      if ((timings.login !== undefined && timings.report !== undefined) || elapsed > BOOT_TIMEOUT_MS || vm.isDone()) break;
      await sleep(500);
    }
    console.log(`[rootfs e2e] QEMU start → kernel ${timings.kernel} ms, → "ram-1 login:" ${timings.login} ms, → booted report ${timings.report} ms (TCG, 2 vCPUs)`);
  }, BOOT_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await vm?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (process.env.METALBOOT_KEEP_E2E) console.log(`[rootfs e2e] kept ${dir}`);
    else if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function evidence(): Promise<string> {
    const tail = async (name: string) => (await readFile(join(dir, name), 'utf8').catch(() => '')).split('\n').slice(-25).join('\n');
    return `--- ttyS1.log\n${await tail('ttyS1.log')}\n--- switch.log\n${await tail('switch.log')}\n--- netns.log\n${await tail('netns.log')}`;
  }

  it('shows "ram-1 login:" on ttyS1: the host name came from the device data', async () => {
    expect(timings.login, await evidence()).toBeDefined();
  });

  it('reports "booted" by itself, with bond0 aggregated behind the switch (partner MAC, one aggregator)', async () => {
    const report = reports.find((r) => r.url.startsWith('POST ') && r.body.includes('"booted"'));
    expect(report, await evidence()).toBeDefined();
    expect(report!.url).toBe(`POST /events/ram-1?token=${token}`);
    const body = JSON.parse(report!.body) as { state: string; facts: Record<string, unknown> & { bond: BondFacts } };
    expect(body.state).toBe('booted');
    const { bond } = body.facts;
    expectAggregated(bond);
    expect(body.facts.hostname).toBe('ram-1');
    expect(String(body.facts.cmdline)).toContain('console=ttyS1,115200n8');
    expect(String(body.facts.cmdline)).not.toContain(token);
    expect(body.facts.addresses).toEqual(expect.arrayContaining([expect.objectContaining({ ifname: 'bond0', family: 'inet', address: expect.stringMatching(/^10\.77\.0\.1\d\d\/24$/) })]));
    console.log(`[rootfs e2e] facts: ${JSON.stringify({ uptime_seconds: body.facts.uptime_seconds, partner_mac: bond.partner_mac, aggregator_ids: bond.aggregator_ids })}`);
  });

  it('answers SSH with the device\'s key, and /proc/net/bonding/bond0 read there shows the same aggregate', async () => {
    const leases = await readFile(join(dir, 'leases'), 'utf8').catch(() => '');
    const address = leases.split('\n').map((l) => l.split(' ')).find((f) => f[1] === MACS[0])?.[2];
    expect(address, `dnsmasq leases:\n${leases}\n${await evidence()}`).toMatch(/^10\.77\.0\.\d+$/);
    const ssh = await execa('nsenter', [
      `--net=/proc/${vm!.pgid}/ns/net`, 'ssh', '-i', join(dir, 'id'), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=20', `root@${address}`, 'cat /proc/net/bonding/bond0; echo @@; cat /proc/cmdline; echo @@; systemd-analyze; systemd-analyze blame | head -25',
    ], { reject: false, timeout: 60_000 });
    expect(ssh.exitCode, String(ssh.stderr)).toBe(0);
    const [bonding, cmdline, analyze] = String(ssh.stdout).split('\n@@\n');
    await writeFile(join(dir, 'systemd-analyze.txt'), analyze ?? '');
    console.log(`[rootfs e2e] ${analyze?.split('\n')[0]}`);
    const parsed = await execa('jq', ['-R', '-s', '-c', '-L', join(SHIPPED_DIR, 'usr/lib/metalboot'), 'include "bond-facts"; bond_facts'], { input: bonding });
    expectAggregated(JSON.parse(String(parsed.stdout)) as BondFacts);
    expect(bonding).toContain(`Partner Mac Address: ${SWITCH_MAC}`);
    expect(cmdline).toContain('console=ttyS1,115200n8');
  });
});

interface BondFacts {
  mode: string; lacp_rate: string; miimon: number; xmit_hash_policy: string; partner_mac: string;
  active_aggregator_id: number; aggregator_ids: number[]; slaves: { name: string; mac: string; aggregator_id: number }[];
}

function expectAggregated(bond: BondFacts): void {
  expect(bond).toMatchObject({ mode: '802.3ad', lacp_rate: 'slow', miimon: 100, xmit_hash_policy: 'layer3+4', partner_mac: SWITCH_MAC });
  expect(bond.slaves.map((s) => s.mac).sort()).toEqual([...MACS]);
  expect(bond.aggregator_ids).toEqual([bond.active_aggregator_id, bond.active_aggregator_id]);
}
