/** Pure parts of the QEMU side: console text, the boot-test target and report, the timeline, the sim bridge URL rule. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { consoleText, lastLines } from '../../src/providers/qemu/console-text.js';
import { bootTarget, expectedKernelArgs } from '../../src/providers/qemu/boot-target.js';
import type { BootTestResult } from '../../src/providers/qemu/boot-test.js';
import { bootTestJson, formatBootTest } from '../../src/providers/qemu/boot-test-report.js';
import { createSimBridge } from '../../src/providers/qemu/sim-bridge.js';
import { guestPortOf } from '../../src/providers/qemu/guest-net.js';
import { formatTimeline, shares } from '../../src/demo/timeline.js';
import type { Mark } from '../../src/demo/timeline.js';
import { demoConfigYaml } from '../../src/demo/config-text.js';
import { redactTokens } from '../../src/config/device-token.js';
import { aptLine } from '../../src/demo/packages.js';
import type { ImageManifest } from '../../src/image/manifest.js';

const config = parseConfig(
  `server:
  public_url: http://boot.example.net:8080
  state_dir: /var/lib/metalboot
images:
  deb: { type: files, kernel: /k/linux, initrd: /k/initrd.gz, kernel_args: [quiet] }
devices:
  web-1: { image: deb, macs: ["b4:96:91:aa:bb:01"], kernel_args: [metalboot.x=1] }
  boot-test: { image: deb }
`,
  '/etc/metalboot.yaml',
);
const manifest: ImageManifest = {
  schema: 1, name: 'deb', type: 'files', installer: false,
  variants: { x86_64: { arch: 'x86_64', kernel: { name: 'linux', sha256: 'a'.repeat(64), size: 1 }, initrd: { name: 'initrd.gz', sha256: 'b'.repeat(64), size: 1 }, compression: 'gzip', cmdline: ['priority=critical', 'url={{preseed_url}}'] } },
};

describe('console text', () => {
  it('drops terminal escapes and control bytes, keeps the words of a newt screen', () => {
    const raw = '\x1b[1;24r\x1b[4l\x1b(B\x1b)0\x1b[m\x0f\x1b[H\x1b[J\r\nSelect a language\x1b[10;3H\x1b[0m\x1b(0x\x1b[0m\r\n[    7.1] Run /init as init process\r\n';
    expect(consoleText(raw)).toBe('\nSelect a languagex\n[    7.1] Run /init as init process\n');
  });

  it('keeps the last non-empty lines', () => {
    expect(lastLines('a\n\nb\nc\n\n', 2)).toEqual(['b', 'c']);
  });
});

describe('boot-test target', () => {
  it('boots a configured device by MAC with the public URL rewritten to where a VM sees the server', () => {
    const target = bootTarget(config, 'B4-96-91-AA-BB-01', 8080);
    expect([target.device.name, target.synthesized, target.config.server.publicUrl]).toEqual(['web-1', false, 'http://10.0.2.2:8080']);
    expect(expectedKernelArgs(target, manifest)).toEqual(['console=ttyS1,115200n8', 'priority=critical', 'quiet', 'metalboot.x=1']);
  });

  it('makes up a device for a bare image without clobbering one of the same name', () => {
    const target = bootTarget(config, 'deb', 8080);
    expect([target.device.name, target.synthesized, target.device.macs]).toEqual(['boot-test-1', true, ['52:54:00:b0:07:01']]);
    expect(Object.keys(target.config.devices)).toEqual(['web-1', 'boot-test', 'boot-test-1']);
    expect(config.devices['boot-test-1']).toBeUndefined();
  });

  it('names the images and devices when the argument is neither', () => {
    expect(() => bootTarget(config, 'nope', 8080)).toThrow(/"nope" is neither an image nor a device in \/etc\/metalboot.yaml/);
  });
});

const failed: BootTestResult = {
  image: 'broken', device: 'boot-test', expectedArgs: ['console=ttyS1,115200n8', 'url=http://x/p?token=abc'], workDir: '/tmp/x',
  results: [
    { firmware: 'bios', ok: true, phases: { 'vm started': 0, script: 5500, kernel: 5600, initrd: 6000, 'kernel up': 13000, success: 21000 }, reached: 'success', consoleLog: '' },
    {
      firmware: 'uefi', ok: false, phases: { 'vm started': 0, script: 12900, kernel: 13000 }, reached: 'kernel', consoleLog: 'x',
      error: 'boot failed: "Could not select: Exec format error"', consoleTail: ['iPXE …', 'http://10.0.2.2:8080/preseed/x.cfg?token=secret1'], consoleTailFrom: 'ttyS0 (firmware and iPXE)',
    },
  ],
};

describe('boot-test report', () => {
  it('prints phase times, the phase reached and the console tail with tokens redacted', async () => {
    const text = formatBootTest(failed);
    expect(text).not.toContain('secret1');
    await expect(text).toMatchFileSnapshot('../golden/qemu/boot-test-report.txt');
  });

  it('leaves the full console out of --json and redacts tokens', () => {
    const json = JSON.stringify(bootTestJson(failed));
    expect(json).not.toMatch(/secret1|token=abc|consoleLog/);
    expect(JSON.parse(json)).toMatchObject({ ok: false, results: [{ firmware: 'bios', ok: true }, { firmware: 'uefi', reached: 'kernel' }] });
  });
});

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
    await expect(formatTimeline(marks)).toMatchFileSnapshot('../golden/qemu/timeline.txt');
  });
});

describe('small rules', () => {
  it('accepts only script URLs on 10.0.2.2 for QEMU-backed devices', () => {
    expect(guestPortOf('http://10.0.2.2:8080/ipxe/web-1')).toBe(8080);
    expect(guestPortOf('http://10.0.2.2/ipxe/web-1')).toBe(80);
    expect(() => guestPortOf('http://127.0.0.1:8080/ipxe/web-1')).toThrow(/only http:\/\/10\.0\.2\.2:PORT/);
    expect(() => guestPortOf('https://10.0.2.2/x')).toThrow(/only http/);
  });

  it('redacts per-device tokens and prints the exact apt-get line', () => {
    expect(redactTokens('url=http://h/p.cfg?token=0123abcd console=ttyS1')).toBe('url=http://h/p.cfg?token=REDACTED console=ttyS1');
    expect(aptLine(['ovmf', 'qemu-system-x86'])).toBe('apt-get install -y ovmf qemu-system-x86');
  });

  it('generates a demo config that the config loader accepts', () => {
    const text = demoConfigYaml({ stateDir: '/tmp/s', guestPort: 8080, device: 'web-1', metalId: '6f9d3b5e-0000-4000-8000-000000000001', macs: ['52:54:00:6d:62:01'], netbootDir: '/usr/lib/debian-installer/images/12', firmware: 'uefi' });
    const loaded = parseConfig(text, '/tmp/metalboot.yaml');
    expect(loaded.server.publicUrl).toBe('http://10.0.2.2:8080');
    expect(loaded.devices['web-1']).toMatchObject({ metalId: '6f9d3b5e-0000-4000-8000-000000000001', firmware: 'uefi', image: 'debian12' });
  });
});

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
