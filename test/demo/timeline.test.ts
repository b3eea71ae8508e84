import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { parseConfig } from '../../src/config/load.js';
import { redactTokens } from '../../src/config/device-token.js';
import { demoConfigYaml } from '../../src/demo/config-text.js';
import { INSTALLER_UP, loginPrompt } from '../../src/demo/scenario.js';
import { describeBooted } from '../../src/demo/booted-facts.js';
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

  it('generates the RAM image config: rootfs with the test fixture\'s fields (one build serves both), the VM\'s one NIC, a bond that needs no LACP partner', () => {
    const text = demoConfigYaml({ stateDir: '/var/cache/metalboot/demo-state', guestPort: 8080, device: 'web-1', metalId: '6f9d3b5e-0000-4000-8000-000000000001', macs: ['52:54:00:6d:62:01'], netbootDir: '/unused', firmware: 'bios', image: 'ram' });
    const loaded = parseConfig(text, '/tmp/metalboot.yaml');
    expect(loaded.images.ram).toMatchObject({ type: 'rootfs', suite: 'bookworm', mirror: 'http://deb.debian.org/debian' });
    expect(loaded.devices['web-1']).toMatchObject({ image: 'ram', macs: ['52:54:00:6d:62:01'], bond: { mode: 'active-backup' } });
  });

  it('generates the image-based install config (--full): type disk with the install fixture\'s fields (one build serves both), one NIC, active-backup', async () => {
    const text = demoConfigYaml({ stateDir: '/var/cache/metalboot/demo-state', guestPort: 8080, device: 'web-1', metalId: '6f9d3b5e-0000-4000-8000-000000000001', macs: ['52:54:00:6d:62:01'], netbootDir: '/unused', firmware: 'uefi', image: 'disk' });
    const loaded = parseConfig(text, '/tmp/metalboot.yaml');
    const fixture = parseConfig(await readFile(join(PACKAGE_ROOT, 'test/fixtures/disk-image.yaml'), 'utf8'), 'disk-image.yaml');
    expect(loaded.images.disk).toEqual(fixture.images.disk);
    expect(loaded.images.disk).toMatchObject({ type: 'disk', suite: 'bookworm', mirror: 'http://deb.debian.org/debian' });
    expect(loaded.devices['web-1']).toMatchObject({ image: 'disk', firmware: 'uefi', macs: ['52:54:00:6d:62:01'], bond: { mode: 'active-backup' } });
  });

  it('knows the RAM image took its data from the getty prompt with the device\'s host name', () => {
    expect(loginPrompt('web-1').test('\nweb-1 login: ')).toBe(true);
    expect(loginPrompt('web-1').test('\nmetalboot login: ')).toBe(false);
    expect(loginPrompt('a.b').test('\naxb login: ')).toBe(false);
  });

  it("prints the device's own facts: bond0 and its slaves, addresses; says so when there are none", () => {
    const facts = {
      hostname: 'web-1', kernel: '6.1.0-50-amd64', uptime_seconds: 41.2,
      bond: { mode: 'active-backup', lacp_rate: null, miimon: 100, xmit_hash_policy: null, mii_status: 'up', partner_mac: null, slaves: [{ name: 'ens2', mac: '52:54:00:6d:62:01', mii_status: 'up' }] },
      addresses: [{ ifname: 'bond0', family: 'inet', address: '10.0.2.15/24' }, { ifname: 'bond0', family: 'inet6', address: 'fe80::1/64' }],
    };
    expect(describeBooted(facts)).toBe([
      '  host web-1, kernel 6.1.0-50-amd64, up 41.2 s when it reported',
      '  bond0 active-backup (miimon 100): MII up; slaves ens2 52:54:00:6d:62:01 up; LACP partner none',
      '  addresses bond0 10.0.2.15/24',
    ].join('\n'));
    expect(describeBooted({ ...facts, cmdline: 'BOOT_IMAGE=/boot/vmlinuz root=LABEL=metalroot console=ttyS1,115200n8' }).split('\n')[1])
      .toBe('  cmdline BOOT_IMAGE=/boot/vmlinuz root=LABEL=metalroot console=ttyS1,115200n8');
    expect(describeBooted(undefined)).toBe('  (the report carried no facts)');
    expect(describeBooted({ hostname: 'x', bond: null })).toContain('no bond');
  });
});
