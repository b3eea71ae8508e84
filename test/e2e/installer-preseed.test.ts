/**
 * Issue 10 §1: the Debian installer loads its own device's preseed when the DHCP boot file is the
 * script URL (QEMU user networking offers it to every client, as the QEMU provider sets it up), so
 * d-i's network-preseed first fetches that URL as a preseed. `metalboot serve` (startServer on a unix
 * socket) serves a built Debian 12 image; the VM boots /ipxe/<mac> (BIOS) or /ipxe/<name> (UEFI).
 * Passes on what the system produced: the server's own log shows d-i fetched the boot file and got
 * the empty preseed, the device's events show its /preseed/<device>.cfg fetched (recorded only
 * after authorizeAnswer accepted the token), the kernel line carries the token of the script the
 * server served, and the per-device template's early_command line reaches ttyS1.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { Firmware } from '../../src/config/types.js';
import { buildImage } from '../../src/image/build.js';
import { preseedLoadedLine } from '../../src/installer/preseed.js';
import { startServer } from '../../src/server/start.js';
import { startVm } from '../../src/vm/vm.js';
import { vmSkipReason } from './helpers/vm-env.js';

const skipReason = await vmSkipReason();
if (skipReason) console.warn(`[skip] installer-preseed boot: ${skipReason}`);

const GUEST_PORT = 8080;
const BASE = `http://10.0.2.2:${GUEST_PORT}`;
const MAC = '52:54:00:d1:00:01';
const DEVICE = 'di-1';
const HOSTNAME = 'di-one';

let dir: string;
let config: Config;

beforeAll(async () => {
  if (skipReason) return;
  dir = await mkdtemp(join(tmpdir(), 'metalboot-installer-preseed-'));
  await mkdir(join(dir, 'state'), { recursive: true });
  config = parseConfig(
    `server:
  public_url: ${BASE}
  state_dir: ${join(dir, 'state')}
images:
  debian12:
    type: debian
    netboot_dir: /usr/lib/debian-installer/images/12
    preseed_mode: inject
devices:
  ${DEVICE}:
    image: debian12
    hostname: ${HOSTNAME}
    macs: ["${MAC}", "52:54:00:d1:00:02"]
`,
    join(dir, 'metalboot.yaml'),
  );
  await buildImage(config, 'debian12');
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** GET over the server's unix socket, as an operator's curl would (its own User-Agent). */
function get(socketPath: string, path: string, agent: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { 'user-agent': agent, host: `10.0.2.2:${GUEST_PORT}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

async function bootAndCheck(firmware: Firmware, scriptPath: string): Promise<void> {
  const work = join(dir, firmware);
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), cb()) });
  const socketPath = join(dir, `${firmware}.sock`);
  const server = await startServer({ config, secret: `e2e-${firmware}`, logger: pino(sink), listen: false, socketPath });
  server.context.boots.arm('di-1'); // as `reimage` does: the script and its answers are served during an armed boot
  const script = await get(socketPath, scriptPath, 'curl/7.88.1');
  expect(script.status).toBe(200);
  expect(script.body).toMatch(/^#!ipxe/);
  const token = /\/preseed\/di-1\.cfg\?token=([0-9a-f]+)/.exec(script.body)?.[1];
  expect(token, 'the served script names the per-device preseed with a token').toBeDefined();
  const vm = await startVm({ firmware, bootUrl: `${BASE}${scriptPath}`, workDir: work, forwards: [{ guestPort: GUEST_PORT, socketPath }], timeoutMs: 720_000 });
  const started = Date.now();
  try {
    const cmdline = await vm.waitForConsole(/Kernel command line: (.*)/, 300_000);
    // The VM's own token: a script fetched by another address (the curl above) carries another one,
    // bound to that address (armed boots, docs/serve.md); this one is bound to the VM's.
    const vmToken = /url=(\S+)\/preseed\/di-1\.cfg\?token=([0-9a-f]+)/.exec(cmdline[1]!);
    expect(vmToken?.[1], 'the kernel line names the per-device preseed on the server').toBe(BASE);
    expect(vmToken?.[2]).toMatch(/^[0-9a-f]{64}$/);
    expect(vmToken?.[2]).not.toBe(token);
    await vm.waitForConsole(new RegExp(preseedLoadedLine(HOSTNAME)), 600_000);
    console.log(`installer-preseed ${firmware}: "${preseedLoadedLine(HOSTNAME)}" on ttyS1 after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const preseeds = server.context.events.list({ device: DEVICE }).filter((e) => e.kind === 'preseed');
    expect(preseeds.map((e) => e.path)).toContain(`/preseed/${DEVICE}.cfg`);
    const requests = lines.filter((l) => l.msg === 'request');
    // d-i fetched the DHCP boot file (the script URL) and was answered with the empty preseed …
    const probes = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('the Debian installer loaded the DHCP boot file'));
    expect(probes.length).toBeGreaterThanOrEqual(1);
    // … then its own preseed, with the token (redacted in the log; authorized, as the event shows).
    expect(requests.some((l) => l.url === `/preseed/${DEVICE}.cfg?token=[redacted]` && l.status === 200)).toBe(true);
    // curl, iPXE (which percent-encodes the MAC's colons) and d-i (which sends the boot file as it is)
    expect(requests.filter((l) => decodeURIComponent(String(l.url)) === scriptPath).map((l) => l.status)).toEqual([200, 200, 200]);
    const preseedAt = lines.findIndex((l) => l.msg === 'request' && l.url === `/preseed/${DEVICE}.cfg?token=[redacted]`);
    expect(lines.indexOf(probes[0]!)).toBeLessThan(preseedAt); // the DHCP boot file first, as preseed.sh does
    expect(await vm.readConsole()).not.toMatch(/Failed to (retrieve|process) the preconfiguration file/);
  } finally {
    await vm.stop();
    await server.close(1000);
  }
}

describe.skipIf(skipReason !== undefined)('the Debian installer loads its own preseed under metalboot serve', () => {
  it('bios, boot file /ipxe/<mac>: the per-device preseed is fetched with its token and its line reaches ttyS1', async () => {
    await bootAndCheck('bios', `/ipxe/${MAC}`);
  }, 760_000);

  it('uefi, boot file /ipxe/<name>: the same', async () => {
    await bootAndCheck('uefi', `/ipxe/${DEVICE}`);
  }, 760_000);
});
