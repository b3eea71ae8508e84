/**
 * The BMC password (and the session token the BMC hands out) never appears in anything metalboot
 * prints, logs or sends besides the login itself: CLI stdout/stderr (with METALBOOT_DEBUG=1), the
 * provider's log lines, its call records, the re-image summary, error messages with their hints and
 * causes, and the requests the simulator recorded. Credentials reach the CLI through the environment.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reimage, resolveDevice } from '../../src/reimage/index.js';
import type { Rig } from './helpers.js';
import { PASSWORD, USERNAME, startRig, warmSimulator } from './helpers.js';

let rig: Rig | undefined;
let dir: string | undefined;
beforeAll(warmSimulator, 120_000);
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = (current as { cause?: unknown }).cause) {
    parts.push(current.message, String((current as { hint?: unknown }).hint ?? ''), current.stack ?? '');
  }
  return parts.join('\n');
}

function cli(args: string[], configFile: string, password = PASSWORD) {
  return execa('node', ['--import', 'tsx', 'src/cli/main.ts', ...args, '--provider', 'redfish', '--config', configFile], {
    env: { TEST_BMC_USER: USERNAME, TEST_BMC_PASSWORD: password, METALBOOT_DEBUG: '1' },
    reject: false,
    timeout: 120_000,
  });
}

describe('the BMC password and session tokens stay secret', () => {
  it('appear in no output, log line, call record, summary, error or recorded request', async () => {
    rig = await startRig({ quirks: { strictIfMatch: true, noContinuous: true }, sim: { faults: [{ kind: 'status', operation: 'reset', times: 1 }] } });
    const tokens: string[] = [];
    const sessions = rig.sim.context.sessions;
    const create = sessions.create.bind(sessions);
    sessions.create = (user) => {
      const session = create(user);
      tokens.push(session.token);
      return session;
    };
    const texts: string[] = [];
    const resolved = await resolveDevice(rig.provider, rig.config, 'web-1');
    const summary = await reimage(
      { provider: rig.provider },
      { resolved, target: { kind: 'ipxe', scriptUrl: 'http://127.0.0.1:9/ipxe/web-1', checkUrls: [], installer: true, alwaysPxeAfter: false }, wait: false, timeoutMs: 5_000, dryRun: false, consoleCommand: 'metalboot console web-1' },
    );
    expect(summary.result).toBe('failed'); // the restart answered 500 without any sign of it: not sent twice
    texts.push(JSON.stringify(summary));
    await rig.provider.reboot('web-1').catch((error: unknown) => texts.push(errorText(error)));
    texts.push(await rig.provider.describeConsole('web-1'));

    dir = mkdtempSync(join(tmpdir(), 'metalboot-secrets-'));
    const configFile = join(dir, 'metalboot.yaml');
    writeFileSync(configFile, [
      'images:', '  ram: { type: files, variants: { x86_64: { kernel: /k, initrd: /i } } }',
      'devices:', '  web-1:', '    image: ram', '    bmc:', `      url: ${rig.url}`, '      username_env: TEST_BMC_USER', '      password_env: TEST_BMC_PASSWORD',
    ].join('\n'));
    const runs = [await cli(['devices'], configFile), await cli(['devices', '--json'], configFile), await cli(['console', 'web-1'], configFile), await cli(['devices'], configFile, 'wrong-password')];
    expect(runs.map((run) => run.exitCode)).toEqual([0, 0, 0, 1]);
    expect(runs[0]!.stdout).toMatch(/^ID\s+HOSTNAME\s+STATE\s+POWER\s+BOOT_OVERRIDE\s+OS/);
    expect(runs[3]!.stderr).toContain('refused to log in: HTTP 401');
    for (const run of runs) texts.push(run.stdout, run.stderr, run.command);

    texts.push(...rig.logs, JSON.stringify(rig.calls), JSON.stringify(rig.sim.requests()), ...rig.sim.violations());
    const all = texts.join('\n');
    expect(all.length).toBeGreaterThan(5_000);
    expect(all).toContain('"Password":"<redacted>"'); // the simulator saw the login, and kept no password
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const secrets = [PASSWORD, 'wrong-password', Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'), ...tokens];
    for (const secret of secrets) expect(all.includes(secret), `a secret leaked: ${secret.slice(0, 4)}…`).toBe(false);
  }, 240_000);
});
