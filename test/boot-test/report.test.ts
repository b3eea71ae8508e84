import { describe, expect, it } from 'vitest';
import { bootTestJson, formatBootTest } from '../../src/boot-test/report.js';
import type { BootTestResult } from '../../src/boot-test/types.js';

const x86 = { arch: 'x86_64', expectedArgs: ['console=ttyS1,115200n8', 'url=http://x/p?token=abc'], consolePort: 'ttyS1' } as const;
const failed: BootTestResult = {
  image: 'broken', device: 'boot-test', workDir: '/tmp/x',
  results: [
    {
      ...x86, firmware: 'bios', ok: true, reached: 'success', consoleLog: '',
      phases: { 'vm started': 0, ipxe: 1200, script: 5500, kernel: 5600, initrd: 6000, 'kernel up': 13000, success: 21000 },
      fetched: [{ kind: 'script', path: '/ipxe/boot-test?token=abc' }, { kind: 'kernel', path: '/assets/1/linux' }, { kind: 'initrd', path: '/assets/2/initrd.gz' }],
    },
    {
      ...x86, firmware: 'uefi', ok: false, phases: { 'vm started': 0, ipxe: 4000, script: 12900, kernel: 13000 }, reached: 'kernel', consoleLog: 'x',
      fetched: [{ kind: 'script', path: '/ipxe/boot-test' }, { kind: 'kernel', path: '/assets/1/linux' }],
      error: 'boot failed: "Could not select: Exec format error"', consoleTail: ['iPXE …', 'http://10.0.2.2:8080/preseed/x.cfg?token=secret1'], consoleTailFrom: 'ttyS0 (firmware and iPXE)',
    },
    {
      arch: 'arm64', firmware: 'uefi', expectedArgs: ['console=ttyAMA0,115200'], consolePort: 'ttyAMA0', ok: false, reached: 'initrd', consoleLog: 'y',
      phases: { 'vm started': 0, ipxe: 3000, script: 9000, kernel: 9500, initrd: 12000 },
      fetched: [{ kind: 'script', path: '/ipxe/boot-test' }, { kind: 'kernel', path: '/assets/3/linux' }, { kind: 'initrd', path: '/assets/4/initrd' }],
      error: 'boot failed: "EFI stub: ERROR: Failed to load initrd"', consoleTail: ['EFI stub: ERROR: Failed to load initrd'], consoleTailFrom: 'ttyAMA0 (firmware, iPXE and the kernel)',
    },
  ],
};

describe('boot-test report', () => {
  it('prints per arch and firmware the phase times, the phase reached and the console tail with tokens redacted', async () => {
    const text = formatBootTest(failed);
    expect(text).not.toContain('secret1');
    await expect(text).toMatchFileSnapshot('../golden/boot-test/report.txt');
  });

  it('leaves the full console out of --json and redacts tokens, in the expected arguments and the fetched paths too', () => {
    const json = JSON.stringify(bootTestJson(failed));
    expect(json).not.toMatch(/secret1|token=abc|consoleLog/);
    expect(JSON.parse(json)).toMatchObject({
      ok: false,
      results: [
        { arch: 'x86_64', firmware: 'bios', ok: true, fetched: [{ kind: 'script', path: '/ipxe/boot-test?token=REDACTED' }, {}, {}] },
        { arch: 'x86_64', firmware: 'uefi', reached: 'kernel' },
        { arch: 'arm64', firmware: 'uefi', consolePort: 'ttyAMA0', expectedArgs: ['console=ttyAMA0,115200'] },
      ],
    });
  });
});
