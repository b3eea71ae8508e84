/**
 * judgeConsole on consoles captured from real `metalboot boot-test --keep` runs
 * (test/boot-test/consoles/, BIOS, the Debian 12 netboot kernel under QEMU TCG): a good boot, the
 * same with the device's console on ttyS0, a "kernel" of random bytes (iPXE: Exec format error),
 * and an initrd without /init (VFS panic). No VM here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeConsole } from '../../src/boot-test/judge.js';
import type { ConsoleCapture } from '../../src/boot-test/judge.js';
import { consoleText } from '../../src/vm/console-text.js';

const read = (name: string): string => consoleText(readFileSync(new URL(`consoles/${name}`, import.meta.url), 'utf8'));
const good = { console: read('good-bios.ttyS1.log'), firmware: read('good-bios.ttyS0.log') };
const noRoot = { console: read('no-root-bios.ttyS1.log'), firmware: read('no-root-bios.ttyS0.log') };
/** A device with kernel_args ["console=ttyS0,115200"]: firmware, iPXE and the kernel all on ttyS0. */
const onTtyS0 = read('console-on-ttyS0-bios.ttyS0.log');
const notAKernel = { console: '', firmware: read('not-a-kernel-bios.ttyS0.log') };
/** The same firmware console up to the kernel download, before iPXE says what is wrong with it. */
const downloading = { console: '', firmware: notAKernel.firmware.slice(0, notAKernel.firmware.indexOf('Could not select')) };

const GOOD_ARGS = ['metalboot.check=1', 'console=ttyS1,115200n8'];
const fetched = { kernel: 1, initrd: 1 };
const judge = (capture: Omit<ConsoleCapture, 'fetches'> & { fetches?: ConsoleCapture['fetches'] }, kernelArgs = GOOD_ARGS, success?: RegExp) =>
  judgeConsole({ fetches: fetched, ...capture }, { kernelArgs, timeoutMs: 240_000, ...(success ? { success } : {}) });

describe('judgeConsole on captured consoles', () => {
  it('a good boot: the expected kernel line, then init starts', () => {
    expect(judge(good)).toEqual({ outcome: 'success', kernelUp: true, ipxe: true });
  });

  it('a device whose own console is ttyS0 passes on its whole kernel line; the old rule (image console first) failed it', () => {
    expect(judge({ console: onTtyS0, firmware: onTtyS0 }, ['metalboot.check=1', 'console=ttyS0,115200'])).toEqual({ outcome: 'success', kernelUp: true, ipxe: true });
    expect(judge({ console: onTtyS0, firmware: onTtyS0 }, ['console=ttyS1,115200n8', 'metalboot.check=1', 'console=ttyS0,115200'])).toEqual({
      outcome: 'failed', kernelUp: false, ipxe: true, error: 'the kernel command line lacks console=ttyS1,115200n8: metalboot.check=1 console=ttyS0,115200',
    });
  });

  it('a good boot still going: kernel up, init not yet', () => {
    const early = { ...good, console: good.console.slice(0, good.console.indexOf('Run /init')) };
    expect(judge(early)).toEqual({ outcome: 'booting', kernelUp: true, ipxe: true });
    expect(judge({ ...early, console: early.console.slice(0, early.console.indexOf('Kernel command line')) })).toEqual({ outcome: 'booting', kernelUp: false, ipxe: true });
  });

  it('a kernel line missing an expected argument fails at once, naming it and the line the kernel got', () => {
    expect(judge(good, ['metalboot.check=1', 'console=ttyS0,115200'])).toEqual({
      outcome: 'failed', kernelUp: false, ipxe: true,
      error: 'the kernel command line lacks console=ttyS0,115200: metalboot.check=1 console=ttyS1,115200n8',
    });
  });

  it('redacts tokens in the missing-argument message', () => {
    const console = 'Kernel command line: url=http://10.0.2.2:8080/preseed/a.cfg?token=s3cret\n';
    expect(judge({ console, firmware: '' }, ['url=http://10.0.2.2:8080/preseed/a.cfg?token=0ther']).error).toBe(
      'the kernel command line lacks url=http://10.0.2.2:8080/preseed/a.cfg?token=REDACTED: url=http://10.0.2.2:8080/preseed/a.cfg?token=REDACTED',
    );
  });

  it('--expect: success only once the console matches it; the deadline names the pattern', () => {
    expect(judge(good, GOOD_ARGS, /Checked W\+X mappings: passed/)).toEqual({ outcome: 'success', kernelUp: true, ipxe: true });
    expect(judge(good, GOOD_ARGS, /Welcome to LinuxKit/)).toEqual({ outcome: 'booting', kernelUp: true, ipxe: true });
    expect(judge({ ...good, timedOut: true }, GOOD_ARGS, /Welcome to LinuxKit/)).toEqual({
      outcome: 'failed', kernelUp: true, ipxe: true, error: 'no match for /Welcome to LinuxKit/ within 240 s',
    });
  });

  it('a kernel panic (no root fs) fails with the panic line, after the kernel came up', () => {
    expect(judge(noRoot, ['console=ttyS1,115200n8'])).toEqual({
      outcome: 'failed', kernelUp: true, ipxe: true,
      error: 'boot failed: "[    5.667802] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"',
    });
  });

  it("a kernel iPXE cannot run fails with iPXE's own error from the firmware console", () => {
    expect(judge({ ...notAKernel, fetches: { kernel: 1 } })).toEqual({
      outcome: 'failed', kernelUp: false, ipxe: true, error: 'boot failed: "Could not select: Exec format error (http://ipxe.org/2e008001)"',
    });
  });

  it('iPXE fetching the kernel again and again without the initrd is a download loop', () => {
    expect(judge({ ...downloading, fetches: { kernel: 2 } })).toEqual({ outcome: 'booting', kernelUp: false, ipxe: true });
    expect(judge({ ...downloading, fetches: { kernel: 3 } })).toEqual({
      outcome: 'failed', kernelUp: false, ipxe: true,
      error: 'iPXE downloaded the kernel 3 times and never went on to the initrd: it refuses the kernel (not a bzImage/EFI kernel?) or the download breaks',
    });
  });

  it('sees iPXE start under OVMF too, where its ROM prints only its banner', () => {
    const uefi = read('good-uefi.ttyS0.log');
    expect(uefi).not.toContain('iPXE initialising devices');
    expect(judge({ console: '', firmware: uefi })).toEqual({ outcome: 'booting', kernelUp: false, ipxe: true });
    expect(judge({ console: '', firmware: uefi.slice(0, uefi.indexOf('iPXE 1.0.0')) })).toEqual({ outcome: 'booting', kernelUp: false, ipxe: false });
  });

  it('a VM that exits, or a deadline that passes, before the kernel is up', () => {
    expect(judge({ ...downloading, exited: { code: 0 } }).error).toBe('the VM exited (code 0) before the kernel came up');
    expect(judge({ ...good, console: good.console.slice(0, good.console.indexOf('Run /init')), exited: { code: null } }).error).toBe('the VM exited (code null) before success');
    expect(judge({ ...downloading, timedOut: true }).error).toBe('no kernel command line within 240 s');
  });
});

/**
 * arm64 consoles captured from real runs (virt + AAVMF + Debian 13's ipxe-arm64.efi under TCG):
 * firmware, iPXE and the kernel all on ttyAMA0, so the same text is both captures.
 */
describe('judgeConsole on captured arm64 consoles (ttyAMA0)', () => {
  const both = (text: string) => ({ console: text, firmware: text });
  const ARM_ARGS = ['console=ttyAMA0,115200'];

  it('a good boot: iPXE, the uncompressed initrd handed over by the EFI stub, the kernel line on ttyAMA0, then init', () => {
    const good = read('good-arm64.ttyAMA0.log');
    expect(good).toContain('EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path');
    expect(judge(both(good), ARM_ARGS)).toEqual({ outcome: 'success', kernelUp: true, ipxe: true });
    const early = good.slice(0, good.indexOf('Kernel command line'));
    expect(judge(both(early), ARM_ARGS)).toEqual({ outcome: 'booting', kernelUp: false, ipxe: true });
    expect(judge(both(good.slice(0, good.indexOf('iPXE initialising'))), ARM_ARGS)).toEqual({ outcome: 'booting', kernelUp: false, ipxe: false });
  });

  it('expects the arm64 console: a kernel line on ttyAMA0 lacks console=ttyS1', () => {
    expect(judge(both(read('good-arm64.ttyAMA0.log')), ['console=ttyS1,115200n8']).error).toBe(
      'the kernel command line lacks console=ttyS1,115200n8: linux console=ttyAMA0,115200 initrd=initrd',
    );
  });

  it('an x86 kernel in the arm64 variant: the script says the kernel did not start', () => {
    expect(judge(both(read('x86-kernel-arm64.ttyAMA0.log')), ARM_ARGS)).toEqual({
      outcome: 'failed', kernelUp: false, ipxe: true,
      error: 'boot failed: "metalboot: the armwrong kernel for device boot-test did not start (not a kernel for arm64/efi?)"',
    });
  });

  it('an image without an arm64 variant: the script stops before AAVMF falls through to its own PXE and shell', () => {
    const text = read('no-variant-arm64.ttyAMA0.log');
    expect(text).toContain('Synchronous Exception at');
    expect(judge(both(text), ARM_ARGS).error).toBe(
      'boot failed: "metalboot: image x86only has no variant for arch arm64 (it has: x86_64); device armdev stops here rather than boot a wrong kernel"',
    );
    const afterIpxe = text.slice(text.indexOf('BdsDxe: failed to load Boot0001'));
    expect(judge(both(afterIpxe), ARM_ARGS).error).toBe('boot failed: "Synchronous Exception at 0x000000009C3B42BC"');
  });
});
