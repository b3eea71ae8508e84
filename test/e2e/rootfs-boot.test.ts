/**
 * The RAM image (type: rootfs) boots under QEMU with two NICs behind the LACP test switch, takes
 * its per-device data from a second initrd, and reports "booted" by itself. Passes only on what
 * the system produced: the login prompt on ttyS1, the POST its report unit sent to the test's
 * HTTP endpoint, dnsmasq's leases, and /proc read back over SSH with the device's key.
 *
 * The image is built in a setup step, never here (building needs the Debian mirror):
 *   test/setup/artifacts.ts (vitest's global setup; → $METALBOOT_CACHE_DIR/rootfs-state, default /var/cache/metalboot)
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootfsTestState } from '../setup/cache.js';
import { SHIPPED_DIR } from '../../src/image/rootfs/shipped.js';
import { SWITCH_MAC } from './helpers/lacp-net.js';
import type { RamBoot } from './helpers/ram-boot.js';
import { BOOT_TIMEOUT_MS, MACS, bootRamImage, leasedAddress } from './helpers/ram-boot.js';

const STATE = rootfsTestState();
const LIB = join(SHIPPED_DIR, 'usr/lib/metalboot');

async function skipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root (network namespaces, taps and QEMU need root here)';
  for (const program of ['qemu-system-x86_64', 'dnsmasq', 'jq', 'ssh', 'nsenter']) {
    if ((await execa('sh', ['-c', `command -v ${program}`], { reject: false })).exitCode !== 0) return `missing ${program}`;
  }
  if (!existsSync('/usr/bin/python3')) return 'missing /usr/bin/python3 (the LACP test switch)';
  if (!existsSync(join(STATE, 'images/ram.json'))) return `no rootfs image built in ${STATE}: run npm test as root (its global setup builds it)`;
  return undefined;
}

const reason = await skipReason();
if (reason) console.warn(`[skip] rootfs e2e boot: ${reason}`);

interface BondFacts {
  mode: string; lacp_rate: string; miimon: number; xmit_hash_policy: string; partner_mac: string;
  active_aggregator_id: number; aggregator_ids: number[]; slaves: { name: string; mac: string; aggregator_id: number }[];
}
interface Booted { state: string; facts: { hostname: string; cmdline: string; uptime_seconds: number; bond: BondFacts | null; addresses: unknown[] } }

function expectAggregated(bond: BondFacts | null): void {
  expect(bond).toMatchObject({ mode: '802.3ad', lacp_rate: 'slow', miimon: 100, xmit_hash_policy: 'layer3+4', partner_mac: SWITCH_MAC });
  expect(bond!.slaves.map((s) => s.mac).sort()).toEqual([...MACS]);
  expect(bond!.aggregator_ids).toEqual([bond!.active_aggregator_id, bond!.active_aggregator_id]);
}

function logTimings(name: string, boot: RamBoot): void {
  const { kernel, login, report } = boot.timings;
  console.log(`[rootfs e2e] ${name}: QEMU start → kernel ${kernel} ms, → login prompt ${login} ms, → booted report ${report} ms (TCG, 2 vCPUs)`);
}

describe.skipIf(reason !== undefined)('RAM image (rootfs) on a bonded pair of NICs behind an LACP switch', () => {
  let boot: RamBoot;
  beforeAll(async () => {
    boot = await bootRamImage({ state: STATE, hostname: 'ram-1', bonded: true });
    logTimings('bonded', boot);
  }, BOOT_TIMEOUT_MS + 60_000);
  afterAll(async () => boot?.stop());

  it('shows "ram-1 login:" on ttyS1: the host name came from the device data', async () => {
    expect(boot.timings.login, await boot.evidence()).toBeDefined();
  });

  it('reports "booted" by itself, with bond0 aggregated behind the switch (partner MAC, one aggregator)', async () => {
    const report = boot.booted();
    expect(report, await boot.evidence()).toBeDefined();
    expect(report!.line).toBe(`POST /events/ram-1?token=${boot.token}`);
    const body = JSON.parse(report!.body) as Booted;
    expect(body.state).toBe('booted');
    expectAggregated(body.facts.bond);
    expect(body.facts.hostname).toBe('ram-1');
    expect(body.facts.cmdline).toContain('console=ttyS1,115200n8');
    expect(body.facts.cmdline).not.toContain(boot.token);
    expect(body.facts.addresses).toEqual(expect.arrayContaining([expect.objectContaining({ ifname: 'bond0', family: 'inet', address: expect.stringMatching(/^10\.77\.0\.1\d\d\/24$/) })]));
    console.log(`[rootfs e2e] bonded facts: ${JSON.stringify({ uptime_seconds: body.facts.uptime_seconds, partner_mac: body.facts.bond?.partner_mac, aggregator_ids: body.facts.bond?.aggregator_ids })}`);
  });

  it('answers SSH with the device\'s key, and /proc/net/bonding/bond0 read there shows the same aggregate', async () => {
    const address = await leasedAddress(boot.dir, MACS[0]);
    expect(address, await boot.evidence()).toMatch(/^10\.77\.0\.\d+$/);
    const ssh = await boot.inNetns([
      'ssh', '-i', join(boot.dir, 'id'), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'ConnectTimeout=20', `root@${address}`, 'cat /proc/net/bonding/bond0; echo @@; cat /proc/cmdline; echo @@; systemd-analyze; systemd-analyze blame | head -25',
    ]);
    expect(ssh.exitCode, String(ssh.stderr)).toBe(0);
    const [bonding, cmdline, analyze] = String(ssh.stdout).split('\n@@\n');
    await writeFile(join(boot.dir, 'systemd-analyze.txt'), analyze ?? '');
    console.log(`[rootfs e2e] ${analyze?.split('\n')[0]}`);
    const parsed = await execa('jq', ['-R', '-s', '-c', '-L', LIB, 'include "bond-facts"; bond_facts'], { input: bonding });
    expectAggregated(JSON.parse(String(parsed.stdout)) as BondFacts);
    expect(bonding).toContain(`Partner Mac Address: ${SWITCH_MAC}`);
    expect(cmdline).toContain('console=ttyS1,115200n8');
  });
});

describe.skipIf(reason !== undefined)('RAM image without a bond: the switch\'s LACP fallback serves a single NIC', () => {
  let boot: RamBoot;
  beforeAll(async () => {
    boot = await bootRamImage({ state: STATE, hostname: 'solo-1', bonded: false });
    logTimings('fallback', boot);
  }, BOOT_TIMEOUT_MS + 60_000);
  afterAll(async () => boot?.stop());

  it('gets DHCP on the first NIC only (the switch forwards the individual port, blocks the other) and reports without a bond', async () => {
    const report = boot.booted();
    expect(report, await boot.evidence()).toBeDefined();
    const body = JSON.parse(report!.body) as Booted;
    expect(body.facts.hostname).toBe('solo-1');
    expect(body.facts.bond).toBeNull();
    expect(await leasedAddress(boot.dir, MACS[0])).toMatch(/^10\.77\.0\.\d+$/);
    expect(await leasedAddress(boot.dir, MACS[1])).toBeUndefined();
    expect(body.facts.addresses).toEqual(expect.arrayContaining([expect.objectContaining({ family: 'inet', address: expect.stringMatching(/^10\.77\.0\.1\d\d\/24$/) })]));
  });
});
