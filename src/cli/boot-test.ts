/** `metalboot boot-test <image|device>`: boot an image in a local QEMU VM exactly as the server would serve it. */
import type { Command } from 'commander';
import type { Firmware } from '../config/types.js';
import { MetalbootError, UsageError } from '../errors.js';
import { addConfigOption, loadConfigFromOptions } from './common.js';
import type { CliIo } from './io.js';
import { printJson } from './io.js';

interface BootTestCliOptions {
  config?: string;
  firmware: string;
  timeout: string;
  expect?: string;
  json?: boolean;
  keep?: boolean;
}

export function parseFirmwares(value: string): Firmware[] {
  if (value === 'both') return ['bios', 'uefi'];
  if (value === 'bios' || value === 'uefi') return [value];
  throw new UsageError(`--firmware must be bios, uefi or both, got "${value}"`);
}

export function registerBootTest(program: Command, io: CliIo): void {
  const command = program
    .command('boot-test')
    .argument('<image|device>', 'an image name (booted as a made-up device) or a device in the config')
    .option('--firmware <which>', 'bios, uefi or both', 'both')
    .option('--timeout <seconds>', 'give up on a boot after this many seconds', '300')
    .option('--expect <regex>', 'success once ttyS1 matches this (default: the kernel hands over to init)')
    .option('--json', 'print a JSON result on stdout')
    .option('--keep', 'keep the scratch directory with the console logs')
    .summary('boot an image in a local QEMU VM (BIOS and/or UEFI) and check its console')
    .description(
      'Build the image, serve it as `metalboot serve` would, and network-boot it in QEMU (SeaBIOS and/or OVMF, QEMU\'s iPXE) ' +
        'inside a private network namespace. Success: the kernel command line on ttyS1 holds the expected arguments and ' +
        'init starts (or --expect matches). Prints each phase\'s time; exits 1 with the phase reached and the last 40 ' +
        'console lines on failure. Needs root (or unprivileged user namespaces) and qemu-system-x86, ipxe-qemu, ovmf.',
    )
    .addHelpText('after', '\nExamples:\n  metalboot boot-test debian12\n  metalboot boot-test lk --firmware uefi --expect "Welcome to LinuxKit" --json')
    .action(async (key: string, options: BootTestCliOptions) => {
      const { runBootTest } = await import('../boot-test/run.js');
      const { bootTestJson, formatBootTest } = await import('../boot-test/report.js');
      const firmwares = parseFirmwares(options.firmware);
      const timeout = Number(options.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a number of seconds, got "${options.timeout}"`);
      let expect: RegExp | undefined;
      if (options.expect !== undefined) {
        try {
          expect = new RegExp(options.expect);
        } catch (error) {
          throw new UsageError(`--expect is not a valid regular expression: ${(error as Error).message}`);
        }
      }
      const config = await loadConfigFromOptions(options, io.env);
      const result = await runBootTest(config, key, {
        firmwares, timeoutMs: timeout * 1000, ...(expect ? { expect } : {}), ...(options.keep ? { keepDir: true } : {}),
        onPhase: options.json ? undefined : (fw, phase, ms, detail) => {
          io.stderr.write(`${fw}: +${(ms / 1000).toFixed(1)}s ${phase}${detail && phase !== 'kernel up' ? ` ${detail}` : ''}\n`);
        },
      });
      if (options.json) printJson(io, bootTestJson(result));
      else io.stdout.write(formatBootTest(result));
      if (options.keep) io.stderr.write(`console logs kept in ${result.workDir}\n`);
      const failed = result.results.filter((r) => !r.ok);
      if (failed.length > 0) {
        throw new MetalbootError(
          `${result.image} did not boot under ${failed.map((r) => `${r.firmware.toUpperCase()} (reached: ${r.reached})`).join(' and ')}`,
          { code: 'E_BOOT_TEST', hint: 'the console lines above show how far it got' },
        );
      }
    });
  addConfigOption(command);
}
