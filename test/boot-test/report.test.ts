import { describe, expect, it } from 'vitest';
import { bootTestJson, formatBootTest } from '../../src/boot-test/report.js';
import type { BootTestResult } from '../../src/boot-test/types.js';

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
    await expect(text).toMatchFileSnapshot('../golden/boot-test/report.txt');
  });

  it('leaves the full console out of --json and redacts tokens', () => {
    const json = JSON.stringify(bootTestJson(failed));
    expect(json).not.toMatch(/secret1|token=abc|consoleLog/);
    expect(JSON.parse(json)).toMatchObject({ ok: false, results: [{ firmware: 'bios', ok: true }, { firmware: 'uefi', reached: 'kernel' }] });
  });
});
