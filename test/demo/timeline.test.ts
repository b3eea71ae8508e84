import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { redactTokens } from '../../src/config/device-token.js';
import { demoConfigYaml } from '../../src/demo/config-text.js';
import { INSTALLER_UP } from '../../src/demo/scenario.js';
import { formatTimeline, shares } from '../../src/demo/timeline.js';
import type { Mark } from '../../src/demo/timeline.js';
import { EARLY_MARKER } from '../../src/image/debian-preseed.js';

describe('timeline', () => {
  const marks: Mark[] = [
    { phase: 'reimage started', atMs: 0, owner: 'metalboot' },
    { phase: 'device boots', atMs: 5000, owner: 'platform' },
    { phase: 'API reboot', atMs: 3900, owner: 'metalboot' },
    { phase: 'script fetched', atMs: 10800, owner: 'firmware', detail: '/ipxe/web-1' },
    { phase: 'installer up', atMs: 62700, owner: 'kernel' },
  ];

  it('sorts marks and attributes each gap to whoever spent it', async () => {
    expect(shares(marks)).toEqual({ metalboot: 3900, platform: 1100, firmware: 5800, kernel: 51900, test: 0 });
    await expect(formatTimeline(marks)).toMatchFileSnapshot('../golden/demo/timeline.txt');
  });
});

describe('demo pieces', () => {
  it('redacts per-device tokens', () => {
    expect(redactTokens('url=http://h/p.cfg?token=0123abcd console=ttyS1')).toBe('url=http://h/p.cfg?token=REDACTED console=ttyS1');
  });

  it('generates a demo config that the config loader accepts', () => {
    const text = demoConfigYaml({ stateDir: '/tmp/s', guestPort: 8080, device: 'web-1', metalId: '6f9d3b5e-0000-4000-8000-000000000001', macs: ['52:54:00:6d:62:01'], netbootDir: '/usr/lib/debian-installer/images/12', firmware: 'uefi' });
    const loaded = parseConfig(text, '/tmp/metalboot.yaml');
    expect(loaded.server.publicUrl).toBe('http://10.0.2.2:8080');
    expect(loaded.devices['web-1']).toMatchObject({ metalId: '6f9d3b5e-0000-4000-8000-000000000001', firmware: 'uefi', image: 'debian12' });
  });

  it("knows the installer is up from the injected preseed's own marker, or d-i's screens", () => {
    expect(INSTALLER_UP.test(`echo\n${EARLY_MARKER}\n`)).toBe(true);
    expect(INSTALLER_UP.test('  Select a language  ')).toBe(true);
    expect(INSTALLER_UP.test('(*installer) 1*installer')).toBe(true);
    expect(INSTALLER_UP.test('Run /init as init process')).toBe(false);
  });
});
