import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/types.js';
import { UsageError } from '../../../src/errors.js';
import { createProvider } from '../../../src/providers/qemu/index.js';

let dir: string;
let config: Config;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-qemu-opts-'));
  config = parseConfig(
    `server:\n  public_url: http://10.0.2.2:8080\n  state_dir: ${join(dir, 'state')}\nimages:\n  deb: { type: files, kernel: /k, initrd: /i }\ndevices:\n  web-1:\n    image: deb\n    macs: ["52:54:00:00:00:01"]\n`,
    join(dir, 'metalboot.yaml'),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the QEMU provider', () => {
  it('refuses to keep VMs that would lose their only path to the server when the command ends', () => {
    expect(() => createProvider({ config, env: { METALBOOT_QEMU_KEEP: '1' } })).toThrow(UsageError);
    expect(() => createProvider({ config, env: { METALBOOT_QEMU_KEEP: '1' } })).toThrow(/needs METALBOOT_SERVER_SOCKET/);
    expect(() => createProvider({ config, env: { METALBOOT_QEMU_KEEP: '1', METALBOOT_SERVER_SOCKET: join(dir, 's.sock') } })).not.toThrow();
  });

  it('filters devices by MAC in any spelling the config accepts', async () => {
    const provider = createProvider({ config, env: {} });
    for (const mac of ['52:54:00:00:00:01', '52-54-00-00-00-01', '5254.0000.0001']) {
      expect((await provider.listDevices({ macAddress: mac })).map((d) => d.hostname)).toEqual(['web-1']);
    }
    expect(await provider.listDevices({ macAddress: '52:54:00:00:00:02' })).toEqual([]);
  });
});
