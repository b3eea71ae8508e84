/**
 * Independent clients from Debian against the simulator (on loopback): each reads the system, sets a
 * one-time PXE boot and resets it. Pass = the tool exits 0 AND the simulator itself shows the
 * result (a ForceRestart applied, the next boot from Pxe, the override back to Disabled) with no
 * schema violation. If they disagree with the simulator, the simulator is wrong.
 *
 * Exact command lines (credentials in a 0600 file / the environment, never in argv):
 *   redfishtool -r 127.0.0.1:PORT -S Never -A Session -c CRED.json Systems -1
 *   redfishtool -r 127.0.0.1:PORT -S Never -A Session -c CRED.json Systems -1 setBootOverride Once Pxe
 *   redfishtool -r 127.0.0.1:PORT -S Never -A Session -c CRED.json Systems -1 reset ForceRestart
 *   RF_URL=http://127.0.0.1:PORT RF_USER=… RF_PASSWORD=… /usr/bin/python3 test/redfish/fixtures/sushy-cross-check.py
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedfishSimulator } from '../../src/sim/redfish/index.js';
import type { Quirks, RedfishSimulator } from '../../src/sim/redfish/index.js';
import { until, warmSimulator } from './helpers.js';

const USER = 'crosscheck';
const PASSWORD = 'Cr0ss-Check-Only-5521';
const SUSHY = existsSync('/usr/lib/python3/dist-packages/sushy/__init__.py');
const REDFISHTOOL = existsSync('/usr/bin/redfishtool');

let sim: RedfishSimulator | undefined;
beforeAll(warmSimulator, 120_000);
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(quirks: Partial<Quirks> = {}): Promise<string> {
  sim = createRedfishSimulator({ users: [{ username: USER, password: PASSWORD }], timings: { powerMs: 50 }, quirks });
  return (await sim.listen()).url;
}

async function expectPxeOnceThenReset(): Promise<void> {
  await until(() => sim!.world.boots.length === 1);
  expect(sim!.world.resets.map((r) => r.type)).toEqual(['ForceRestart']);
  expect(sim!.world.boots[0]!.target).toBe('Pxe');
  expect(sim!.world.systems.get('437XR1138R2')!.boot.enabled).toBe('Disabled');
  expect(sim!.violations()).toEqual([]);
  expect(sim!.context.sessions.sessions.size).toBe(0);
}

describe('independent Redfish clients agree with the simulator', () => {
  it.skipIf(!REDFISHTOOL)('DMTF redfishtool reads the system, sets a one-time PXE boot and resets it', async () => {
    const url = await start();
    dir = mkdtempSync(join(tmpdir(), 'metalboot-redfishtool-'));
    const credentials = join(dir, 'cred.json');
    writeFileSync(credentials, JSON.stringify({ user: USER, password: PASSWORD }), { mode: 0o600 });
    const base = ['-r', new URL(url).host, '-S', 'Never', '-A', 'Session', '-c', credentials, 'Systems', '-1'];
    const read = await execa('redfishtool', base);
    const system = JSON.parse(read.stdout) as { Id: string; PowerState: string; Boot: Record<string, unknown> };
    expect(system).toMatchObject({ Id: '437XR1138R2', PowerState: 'On', Boot: { BootSourceOverrideEnabled: 'Disabled' } });
    const set = await execa('redfishtool', [...base, 'setBootOverride', 'Once', 'Pxe']);
    expect(JSON.parse(set.stdout)).toMatchObject({ Boot: { BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' } });
    await execa('redfishtool', [...base, 'reset', 'ForceRestart']);
    await expectPxeOnceThenReset();
    const patch = sim!.requests().find((r) => r.method === 'PATCH');
    expect(patch).toMatchObject({ status: 200, auth: 'session', body: { Boot: { BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' } } });
    expect(patch?.ifMatch).toMatch(/^W\/"[0-9a-f]{20}"$/);
  });

  it.skipIf(!SUSHY)('OpenStack sushy reads the system, sets a one-time PXE boot and resets it', async () => {
    const url = await start();
    const result = await execa('/usr/bin/python3', ['test/redfish/fixtures/sushy-cross-check.py'], { env: { RF_URL: url, RF_USER: USER, RF_PASSWORD: PASSWORD } });
    const seen = JSON.parse(result.stdout) as { before: Record<string, unknown>; armed: Record<string, string> };
    expect(seen.before).toMatchObject({ id: '437XR1138R2', power: 'PowerState.ON', enabled: 'BootSourceOverrideEnabled.DISABLED', macs: ['12:44:6A:3B:04:11', '12:44:6A:3B:88:90'] });
    expect(seen.before.allowed_targets).toContain('BootSource.PXE');
    expect(seen.before.allowed_resets).toContain('ResetType.FORCE_RESTART');
    expect(seen.armed).toEqual({ enabled: 'BootSourceOverrideEnabled.ONCE', target: 'BootSource.PXE' });
    await expectPxeOnceThenReset();
    expect(sim!.requests().filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'PATCH 200', 'POST 204', 'DELETE 204']);
  });

  it.skipIf(!SUSHY).each([
    ['strict-if-match', { strictIfMatch: true }, ['PATCH 412', 'PATCH 200']],
    ['broken-if-match', { brokenIfMatch: true }, ['PATCH 412', 'PATCH 412', 'PATCH 200']],
    ['boot-settings', { bootSettings: true }, ['PATCH 200']],
  ] as const)('sushy survives the %s profile the way metalboot does', async (_name, quirks, patches) => {
    const url = await start(quirks);
    await execa('/usr/bin/python3', ['test/redfish/fixtures/sushy-cross-check.py'], { env: { RF_URL: url, RF_USER: USER, RF_PASSWORD: PASSWORD } });
    await expectPxeOnceThenReset();
    expect(sim!.requests().filter((r) => r.method === 'PATCH').map((r) => `${r.method} ${r.status}`)).toEqual(patches);
  });
});
