import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture.js';
import { OPERATOR_TOKEN, startWorld, TOKEN, WEB_ID } from './fixture.js';
import type { World } from './fixture.js';

let world: World;
/** The CLI's whole environment (nothing of the process's): each test changes it before running. */
let env: NodeJS.ProcessEnv;
let out: string[];
let err: string[];

beforeEach(async () => {
  world = await startWorld();
  out = [];
  err = [];
  env = { METAL_AUTH_TOKEN: TOKEN, METAL_API_URL: world.apiUrl, METALBOOT_DEBUG: '1', METALBOOT_TOKEN: OPERATOR_TOKEN };
});
afterEach(async () => {
  expect(world.sim.violations()).toEqual([]);
  await world.close();
});

/** Runs the CLI; what it wrote is appended to `out`/`err`. */
const cli = async (...args: string[]): Promise<number> => {
  const captured = captureIo(env);
  const code = await runCli([...args, '--config', world.configFile], captured.io);
  out.push(captured.out());
  err.push(captured.err());
  return code;
};

describe('metalboot reimage / devices / console', () => {
  it('reimage --wait --json prints the summary and exits 0; the token is nowhere in the output or the debug log', async () => {
    world.sim.addFault({ operation: 'getDevice', kind: 'status', status: 429, retryAfter: '0', times: 2 });
    world.sim.addFault({ operation: 'updateDevice', kind: 'status', status: 502, times: 1 });
    world.sim.addFault({ operation: 'action', kind: 'after-effect', status: 500, times: 1 });
    expect(await cli('reimage', 'web-1', '--wait', '--json', '--timeout', '30')).toBe(0);
    // METALBOOT_DEBUG=1: the retry/ambiguity log lines are on stderr too, and searched below.
    expect(err.join('')).toContain('metal: GET /metal/v1/devices/');
    expect(err.join('')).toContain('took effect; not sending it again');
    const summary = JSON.parse(out.join('')) as { result: string; device: { id: string }; calls: { call: string }[]; phases: { phase: string; at: string }[]; totalMs: number };
    expect(summary.result).toBe('succeeded');
    expect(summary.device.id).toBe(WEB_ID);
    expect(summary.calls.map((c) => c.call)).toEqual(['update', 'reboot', 'update']);
    expect(summary.phases.every((p) => !Number.isNaN(Date.parse(p.at)))).toBe(true);
    expect(err.join('')).toContain('web-1: +');
    // stdout, and stderr with the METALBOOT_DEBUG request log (the simulator records no headers and the
    // token is only ever in the environment, so those are not searched).
    const everything = [...out, ...err].join('\n');
    expect(everything).not.toContain(TOKEN);
  });

  it('--dry-run prints the API calls it would make and changes nothing', async () => {
    expect(await cli('reimage', 'web-1', '--dry-run')).toBe(0);
    const text = out.join('').replaceAll(world.serverUrl, 'http://SERVER');
    await expect(text).toMatchFileSnapshot('../golden/metal/reimage-dry-run.txt');
    expect(world.sim.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a wrong token exits 1 with one sentence naming METAL_AUTH_TOKEN, and never shows it', async () => {
    env.METAL_AUTH_TOKEN = 'not-the-token-5555';
    expect(await cli('reimage', 'web-1')).toBe(1);
    const text = err.join('');
    expect(text).toContain('(HTTP 401): Invalid authentication token; the API token was not accepted');
    expect(text).toContain('hint: check METAL_AUTH_TOKEN');
    expect(text).not.toContain('not-the-token-5555');
  });

  it('a missing token exits 1 before any call', async () => {
    delete env.METAL_AUTH_TOKEN;
    expect(await cli('devices')).toBe(1);
    expect(err.join('')).toContain('metalboot: METAL_AUTH_TOKEN is not set');
    expect(world.sim.requests()).toEqual([]);
  });

  it('an unknown device id exits 1 naming the id', async () => {
    expect(await cli('reimage', '00000000-0000-4000-8000-0000000000ff', '--os', 'debian_12')).toBe(1);
    expect(err.join('')).toContain('hint: check the device id 00000000-0000-4000-8000-0000000000ff');
  });

  it('bad usage exits 2', async () => {
    expect(await cli('reimage', 'web-1', '--timeout', 'soon')).toBe(2);
    expect(await cli('reimage', 'web-1', '--userdata', 'x.sh')).toBe(2);
    expect(await cli('reimage', 'web-1', '--wait', '--until', 'up')).toBe(2);
    expect(await cli('reimage', 'web-1', '--until', 'installed')).toBe(2);
  });

  it('devices lists the project as a table and as JSON', async () => {
    expect(await cli('devices')).toBe(0);
    const table = out.join('').replace(/sim-[a-z0-9]+/g, 'sim-x');
    await expect(table).toMatchFileSnapshot('../golden/metal/devices.txt');
    out.length = 0;
    expect(await cli('devices', '--json')).toBe(0);
    const rows = JSON.parse(out.join('')) as { id: string; alwaysPxe: boolean; operatingSystem: string; ipxeScriptUrl: string | null; plan: string; metro: string }[];
    expect(rows.find((r) => r.id === WEB_ID)).toEqual({
      id: WEB_ID, hostname: 'web-1', state: 'active', operatingSystem: 'custom_ipxe', alwaysPxe: false,
      ipxeScriptUrl: 'http://old.invalid/ipxe/web-1', plan: 'c3.small.x86', metro: 'da',
    });
  });

  it('console says clearly when ssh is missing', async () => {
    env.PATH = '/nonexistent';
    env.SSH_AUTH_SOCK = '/tmp/agent.sock';
    expect(await cli('console', 'web-1')).toBe(1);
    expect(err.join('')).toContain('ssh is not installed');
    expect(err.join('')).toContain('apt-get install openssh-client');
  });

  it('console says clearly when there is no SSH key', async () => {
    delete env.SSH_AUTH_SOCK;
    const home = await mkdtemp(join(tmpdir(), 'metalboot-home-'));
    env.HOME = home;
    try {
      expect(await cli('console', 'web-1')).toBe(1);
      expect(err.join('')).toContain('no SSH key: no ssh-agent');
      expect(err.join('')).toContain('ssh-keygen -t ed25519');
      const { missingKeyReason } = await import('../../src/cli/console.js');
      expect(missingKeyReason(env, home)).toMatch(/^no SSH key: no ssh-agent/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
