/**
 * `metalboot reimage web-1 --provider qemu --wait --json`, the real CLI, run where a VM sees the
 * network (10.0.2.2 = the server): the QEMU provider boots the device, the RAM image succeeds once
 * its initrd is fetched, and the VM does not outlive the command.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { loadServerSecret } from '../../../src/config/secret.js';
import { runCliInNetns } from '../../../src/demo/cli-in-netns.js';
import { buildImage } from '../../../src/image/build.js';
import { readDeviceState } from '../../../src/providers/qemu/device-state.js';
import { groupAlive } from '../../../src/vm/vm-registry.js';
import { createLogger, startServer } from '../../../src/server/index.js';
import type { RunningServer } from '../../../src/server/index.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, skipUnlessVms } from '../../e2e/helpers/vm-env.js';

const skip = await skipUnlessVms();

/** The server's METALBOOT_TOKEN: `reimage --wait` follows the events API with it. */
const OPERATOR_TOKEN = 'qemu-cli-operator-token';

describe.skipIf(skip)('metalboot reimage --provider qemu', () => {
  let dir: string;
  let server: RunningServer;
  let configFile: string;

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-qc-');
    configFile = join(dir, 'metalboot.yaml');
    await writeFile(configFile, [
      'server:',
      '  public_url: http://10.0.2.2:8080',
      `  state_dir: ${join(dir, 'state')}`,
      'images:',
      `  ram: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD} }`,
      'devices:',
      '  web-1: { image: ram, macs: ["52:54:00:aa:00:02"] }',
      '',
    ].join('\n'));
    const config = await loadConfig(configFile);
    await buildImage(config, 'ram');
    server = await startServer({
      config, secret: await loadServerSecret(config.server.stateDir), listen: false, socketPath: join(dir, 'server.sock'),
      logger: createLogger({ level: 'info', destination: join(dir, 'server.log') }), uploadToken: OPERATOR_TOKEN,
    });
  });
  afterAll(async () => {
    await server?.close(1_000);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('boots the VM, succeeds when the RAM image is fetched, and leaves no VM behind', async () => {
    const cli = await runCliInNetns({
      args: ['reimage', 'web-1', '--provider', 'qemu', '--wait', '--json', '--timeout', '240', '--config', configFile],
      serverSocket: join(dir, 'server.sock'), serverPort: 8080,
      env: { METALBOOT_SERVER_SOCKET: join(dir, 'server.sock'), METALBOOT_TOKEN: OPERATOR_TOKEN },
      timeoutMs: 300_000,
    });
    let stdout = '';
    let stderr = '';
    cli.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    cli.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await cli.exited, stderr).toBe(0);
    const summary = JSON.parse(stdout) as { result: string; provider: string; path: string; calls: { call: string }[] };
    expect(summary).toMatchObject({ result: 'succeeded', provider: 'qemu', path: 'reboot' });
    expect(summary.calls.map((c) => c.call)).toEqual(['update', 'power_on']); // the VM was off
    expect(server.context.events.list({ device: 'web-1' }).map((e) => e.kind)).toEqual(['script', 'kernel', 'initrd']);
    const state = await readDeviceState(join(dir, 'state'), 'web-1');
    // reimage armed the boot: the script URL carries its token
    expect(state).toMatchObject({ alwaysPxe: true, ipxeScriptUrl: expect.stringMatching(/^http:\/\/10\.0\.2\.2:8080\/ipxe\/web-1\?token=[0-9a-f]{64}$/), firmware: 'bios' });
    for (let i = 0; i < 50 && groupAlive(state.pgid); i++) await sleep(100);
    expect(groupAlive(state.pgid)).toBe(false);
  }, 320_000);
});
