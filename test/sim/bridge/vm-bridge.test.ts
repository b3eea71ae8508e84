import { describe, expect, it } from 'vitest';
import { createSimBridge } from '../../../src/sim/bridge/vm-bridge.js';

describe('sim bridge decisions (no VM started)', () => {
  const device = {
    id: 'd1', hostname: 'web-1', state: 'active' as const, operatingSystem: 'custom_ipxe', alwaysPxe: false, plan: 'c3.small.x86', metro: 'da',
    macs: ['b4:96:91:00:00:01'], tags: [], createdAt: '', updatedAt: '',
  };
  const bridge = createSimBridge({ serverSocket: '/nonexistent.sock', workRoot: '/nonexistent', firmware: 'bios' });

  it('a reboot without always_pxe boots the disk: no VM', async () => {
    await bridge.hooks.onBoot!(device, { reason: 'reboot', ipxeScriptUrl: 'http://10.0.2.2:8080/ipxe/web-1' });
    expect(bridge.vm('d1')).toBeUndefined();
  });

  it('a reinstall to a script the VM cannot reach is refused with the fix', async () => {
    await expect(bridge.hooks.onBoot!(device, { reason: 'reinstall', ipxeScriptUrl: 'http://boot.example.net/ipxe/web-1' })).rejects.toMatchObject({
      message: expect.stringContaining('a QEMU-backed device cannot fetch http://boot.example.net/ipxe/web-1') as unknown,
      hint: 'set server.public_url to http://10.0.2.2:<port> for simulated devices',
    });
  });
});
