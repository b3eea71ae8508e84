/**
 * `metalboot boot-test` end to end, as CI runs it: a good image passes with its phase times in
 * JSON; a broken image (a "kernel" that is random bytes) fails fast under BIOS and UEFI with the
 * phase reached and the firmware's own error, not a hang.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgv } from '../../src/demo/cli-in-netns.js';
import { NETBOOT_INITRD, NETBOOT_KERNEL, skipUnlessVms } from './helpers/vm-env.js';

const skip = await skipUnlessVms();

describe.skipIf(skip)('metalboot boot-test', () => {
  let dir: string;
  let config: string;
  const run = (args: string[]) => {
    const cli = cliArgv();
    return execa(cli.file, [...cli.args, 'boot-test', ...args, '--config', config], { reject: false, timeout: 400_000 });
  };

  beforeAll(async () => {
    dir = await mkdtemp('/tmp/mb-bt-');
    await writeFile(join(dir, 'notakernel'), randomBytes(2 << 20));
    config = join(dir, 'metalboot.yaml');
    await writeFile(config, [
      'server:',
      `  state_dir: ${join(dir, 'state')}`,
      'images:',
      `  good: { type: files, kernel: ${NETBOOT_KERNEL}, initrd: ${NETBOOT_INITRD}, kernel_args: [metalboot.check=1] }`,
      `  broken: { type: files, kernel: ${join(dir, 'notakernel')}, initrd: ${NETBOOT_INITRD} }`,
      'devices:',
      '  serial0: { image: good, macs: ["52:54:00:b0:07:02"], kernel_args: ["console=ttyS0,115200"] }',
      '',
    ].join('\n'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fails a kernel that is not a kernel with the phase reached and iPXE\'s error, under BIOS and UEFI', async () => {
    const result = await run(['broken', '--firmware', 'both', '--timeout', '240']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}broken \(boot-test\) on x86_64 under BIOS: .*(Exec format error|refuses the kernel)/);
    expect(result.stdout).toMatch(/FAIL {2}broken \(boot-test\) on x86_64 under UEFI: .*(Exec format error|refuses the kernel)/);
    expect(result.stdout).toMatch(/reached: kernel \(ipxe \d+\.\ds, script \d+\.\ds, kernel \d+\.\ds, initrd -, kernel up -, success -\)/);
    expect(result.stdout).toContain('lines of ttyS0 (firmware and iPXE)');
    expect(result.stderr).toContain('metalboot: broken did not boot on x86_64 under BIOS (reached: kernel) and x86_64 under UEFI (reached: kernel)');
  }, 500_000);

  it('passes a good image under BIOS and reports every phase in JSON', async () => {
    const result = await run(['good', '--firmware', 'bios', '--timeout', '240', '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout) as { ok: boolean; results: { arch: string; firmware: string; ok: boolean; reached: string; expectedArgs: string[]; phases: Record<string, number> }[] };
    expect(json.ok).toBe(true);
    expect(json.results).toHaveLength(1);
    expect(json.results[0]).toMatchObject({ arch: 'x86_64', firmware: 'bios', ok: true, reached: 'success', expectedArgs: ['metalboot.check=1', 'console=ttyS1,115200n8'] });
    expect(Object.keys(json.results[0]!.phases)).toEqual(['vm started', 'ipxe', 'script', 'kernel', 'initrd', 'kernel up', 'success']);
  }, 500_000);

  it('passes a device whose own kernel_args put the console on ttyS0 (it failed when boot-test expected the image console too)', async () => {
    const result = await run(['serial0', '--firmware', 'bios', '--timeout', '240', '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout) as { ok: boolean; results: { ok: boolean; reached: string; expectedArgs: string[]; consolePort: string }[] };
    expect(json.results[0]).toMatchObject({ ok: true, reached: 'success', expectedArgs: ['metalboot.check=1', 'console=ttyS0,115200'], consolePort: 'ttyS0' });
  }, 500_000);
});
