/** The re-image flow only needs the Provider interface: an in-memory provider (as QEMU would be) goes through it. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Provider, ProviderDevice, ReinstallOptions } from '../../src/providers/provider.js';
import { reimage, resolveDevice } from '../../src/reimage/index.js';
import type { BootEvent } from '../../src/events/types.js';

class MemoryProvider implements Provider {
  readonly name = 'qemu';
  readonly log: string[] = [];
  device: ProviderDevice = { id: 'vm-1', hostname: 'vm-1', state: 'active', operatingSystem: 'custom_ipxe', alwaysPxe: false, macs: ['52:54:00:00:00:01'] };
  async listDevices() { return [this.device]; }
  async getDevice(id: string) {
    if (id !== this.device.id) throw new Error(`no ${id}`);
    return this.device;
  }
  async updateDevice(_id: string, changes: { alwaysPxe?: boolean; ipxeScriptUrl?: string }) {
    this.log.push(`update ${JSON.stringify(changes)}`);
    this.device = { ...this.device, ...changes };
    return this.device;
  }
  async reboot() { this.log.push('reboot'); }
  async reinstall(_id: string, options: ReinstallOptions) { this.log.push(`reinstall ${options.operatingSystem}`); }
  async powerOn() { this.log.push('power_on'); }
  async powerOff() { this.log.push('power_off'); }
  async consoleCommand() { return { file: 'cat', args: ['/dev/null'] }; }
}

const config = parseConfig(`server:
  public_url: http://127.0.0.1:9
images:
  lk:
    type: files
    kernel: /x/linux
    initrd: /x/initrd
devices:
  vm-1:
    image: lk
`, '/tmp/metalboot.yaml');

describe('reimage over a non-Metal provider', () => {
  it('resolves by config name (the provider id is the name) and runs the RAM-image path to success', async () => {
    const provider = new MemoryProvider();
    const resolved = await resolveDevice(provider, config, 'vm-1');
    expect(resolved).toMatchObject({ id: 'vm-1', name: 'vm-1' });
    const events: Omit<BootEvent, 'id' | 'time' | 'device'>[] = [{ kind: 'script' }, { kind: 'kernel' }, { kind: 'initrd' }];
    const summary = await reimage(
      {
        provider,
        pollMs: 5,
        follow: async ({ device }, onEvent) => {
          for (const [index, event] of events.entries()) onEvent({ ...event, id: index + 1, device, time: new Date().toISOString() });
        },
      },
      { resolved, target: { kind: 'ipxe', scriptUrl: 'http://127.0.0.1:9/ipxe/vm-1', checkUrls: [], installer: false, alwaysPxeAfter: true }, wait: true, timeoutMs: 5_000, dryRun: false, consoleCommand: 'metalboot console vm-1' },
    );
    expect(summary).toMatchObject({ provider: 'qemu', path: 'reboot', result: 'succeeded' });
    expect(provider.log).toEqual(['update {"ipxeScriptUrl":"http://127.0.0.1:9/ipxe/vm-1","alwaysPxe":true}', 'reboot']);
  });

  it('looks a UUID-shaped key up by hostname when the provider has no id shape of its own', async () => {
    const provider = new MemoryProvider();
    const uuid = '6f9d0c1e-0000-4a2b-9c3d-000000000001';
    provider.device = { ...provider.device, hostname: uuid };
    expect(await resolveDevice(provider, undefined, uuid)).toMatchObject({ id: 'vm-1' });
  });
});
