/**
 * `metalboot reimage web-1 --provider metal --wait --json`, the real CLI, against the Metal API
 * simulator whose device is backed by a QEMU VM (BIOS): every API call validates against the
 * official spec, the VM fetches only its own script and its image's assets, the Debian installer
 * comes up on ttyS1, and the phone-home (sent here in place of a finished install) makes the CLI
 * turn always_pxe back off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetPath } from '../../src/image/manifest.js';
import { consoleText } from '../../src/vm/console-text.js';
import { runReimageScenario } from '../../src/demo/scenario.js';
import type { ScenarioResult } from '../../src/demo/scenario.js';
import { startStack } from '../../src/demo/stack.js';
import type { Stack } from '../../src/demo/stack.js';
import { formatTimeline } from '../../src/demo/timeline.js';
import { postPhoneHome } from './helpers/phone-home.js';
import { skipUnlessVms } from './helpers/vm-env.js';

const skip = await skipUnlessVms();
const TIMEOUT_MS = 300_000;

describe.skipIf(skip)('reimage through the Metal simulator backed by QEMU', () => {
  let dir: string;
  let stack: Stack;
  let result: ScenarioResult;
  let consoleLog: string;
  /** How many events the VM had caused when the test stepped in (its stand-in reads the script for the token). */
  let vmEvents = 0;
  /** Every process's argv on the machine while the VM ran (`ps`): what any local user can read. */
  let processArgs = '';

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-e2e-'); // short: unix socket paths live here
    // Already on custom_ipxe: the reboot path, which needs always_pxe on for the network boot.
    stack = await startStack({ dir, firmware: 'bios', vmTimeoutMs: TIMEOUT_MS, operatingSystem: 'custom_ipxe' });
    // The install itself is not run here: once the installer is up, this test (never the demo)
    // sends the phone-home a finished install would send, so the CLI's end (always_pxe off) runs.
    result = await runReimageScenario(stack, {
      timeoutMs: TIMEOUT_MS,
      afterInstaller: async () => {
        vmEvents = stack.server.context.events.list({ device: stack.device }).length;
        processArgs = String((await execa('ps', ['-eo', 'args', '--no-headers'])).stdout);
        const status = await postPhoneHome(stack.serverSocket, stack.device, { state: 'succeeded', message: 'installer up (the test stands in for a finished install)' });
        if (status !== 201) throw new Error(`the server refused the test's phone-home (HTTP ${status})`);
      },
    });
    consoleLog = consoleText((await result.vm?.readConsole()) ?? '');
    console.log(`reimage → installer timeline:\n${formatTimeline(result.marks)}`);
  }, TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 with a succeeded JSON summary on the reboot path', () => {
    expect(result.stderr).not.toMatch(/unexpected error/);
    expect(result.exitCode).toBe(0);
    expect(result.summary?.result).toBe('succeeded');
    expect(result.summary?.path).toBe('reboot');
  });

  it('makes only spec-valid Metal API calls: script URL + always_pxe on, reboot, then always_pxe off', () => {
    expect(stack.sim.violations()).toEqual([]);
    const changes = stack.sim.requests().filter((r) => r.method !== 'GET');
    expect(changes.map((r) => [r.method, r.path.replace(stack.deviceId, 'ID'), r.body, r.status])).toEqual([
      ['PUT', '/metal/v1/devices/ID', { ipxe_script_url: expect.stringMatching(/^http:\/\/10\.0\.2\.2:8080\/ipxe\/web-1\?token=[0-9a-f]{64}$/), always_pxe: true }, 200],
      ['POST', '/metal/v1/devices/ID/actions', { type: 'reboot' }, 202],
      ['PUT', '/metal/v1/devices/ID', { always_pxe: false }, 200],
    ]);
    expect(stack.sim.device(stack.deviceId)?.alwaysPxe).toBe(false);
  });

  it('the boot token reaches iPXE through QEMU\'s 0600 netdev file, never through any process\'s argv', () => {
    const put = stack.sim.requests().find((r) => r.method === 'PUT' && typeof (r.body as { ipxe_script_url?: string }).ipxe_script_url === 'string');
    const token = /token=([0-9a-f]{64})/.exec((put?.body as { ipxe_script_url: string }).ipxe_script_url)?.[1];
    expect(token).toBeDefined();
    // The installer's kernel line carries the token of the script URL iPXE fetched: the one given to the provider.
    expect(consoleLog).toContain(`/preseed/web-1.cfg?token=${token}`);
    expect(processArgs).toContain('-readconfig');
    expect(processArgs).not.toContain(token);
  });

  it('the VM fetches only its own script and its image assets', () => {
    const variant = stack.manifest.variants.x86_64!;
    const fetches = result.events.filter((e) => e.device === stack.device).slice(0, vmEvents).filter((e) => e.kind !== 'phone-home');
    // (The CLI's reachability check uses HEAD, which the server does not record as a fetch.)
    expect(fetches.map((e) => [e.device, e.kind, e.path])).toEqual([
      ['web-1', 'script', '/ipxe/web-1'],
      ['web-1', 'kernel', assetPath(variant.kernel)],
      ['web-1', 'initrd', assetPath(variant.initrd)],
    ]);
  });

  it('boots the installer with its kernel command line on ttyS1 and never loses the initrd', () => {
    expect(consoleLog).toMatch(/Kernel command line: auto=true priority=critical url=http:\/\/10\.0\.2\.2:8080\/preseed\/web-1\.cfg\?token=\S+ console=ttyS1,115200n8/);
    expect(consoleLog).toContain('METALBOOT-PRESEED-EARLY');
    expect(consoleLog).not.toContain('VFS: Unable to mount root fs');
    // in this order, on one clock
    const at = (phase: string): number => result.marks.find((m) => m.phase === phase)?.atMs ?? NaN;
    const order = ['kernel up', 'init started', 'installer up'].map(at);
    expect(order.every((ms, i) => Number.isFinite(ms) && (i === 0 || ms >= order[i - 1]!))).toBe(true);
  });
});
