/** `metalboot boot-test <image|device>`: boot an image in a local QEMU VM exactly as the server would serve it. */
import type { Command } from 'commander';
import { MetalbootError, UsageError } from '../errors.js';
import { addConfigOption, loadConfigFromOptions } from './common.js';
import type { CliIo } from './io.js';
import { printJson } from './io.js';

interface BootTestCliOptions {
  config?: string;
  arch: string;
  firmware?: string;
  timeout: string;
  expect?: string;
  json?: boolean;
  keep?: boolean;
}

export function registerBootTest(program: Command, io: CliIo): void {
  const command = program
    .command('boot-test')
    .argument('<image|device>', 'an image name (booted as a made-up device) or a device in the config')
    .option('--arch <which>', 'x86_64, arm64 or both: the image variant and the VM that boots it', 'x86_64')
    .option('--firmware <which>', 'bios, uefi or both, for x86_64 VMs (default both); arm64 VMs always boot under UEFI (AAVMF)')
    .option('--timeout <seconds>', 'give up on a boot after this many seconds', '300')
    .option('--expect <regex>', 'success once the kernel\'s console matches this (default: the kernel hands over to init)')
    .option('--json', 'print a JSON result on stdout')
    .option('--keep', 'keep the scratch directory with the console logs')
    .summary('boot an image in a local QEMU VM (x86_64 BIOS/UEFI, arm64 UEFI) and check its console')
    .description(
      'Build the image, serve it as `metalboot serve` would, and network-boot it in QEMU inside a private network namespace: ' +
        'x86_64 under SeaBIOS and/or OVMF with QEMU\'s iPXE ROM, console on ttyS1; arm64 on the virt machine under AAVMF ' +
        'with Debian 13\'s ipxe-arm64.efi, console on ttyAMA0. Success: the kernel command line holds the expected ' +
        'arguments and init starts (or --expect matches). Prints each phase\'s time; exits 1 with the phase reached and ' +
        'the last 40 console lines on failure. Needs root (or unprivileged user namespaces) and the Debian packages of ' +
        'src/host/packages.ts (qemu-system-x86, ipxe-qemu, ovmf; for arm64 qemu-system-arm, qemu-efi-aarch64, ipxe from trixie).',
    )
    .addHelpText('after', [
      '', 'Examples:',
      '  metalboot boot-test debian12',
      '  metalboot boot-test debian12 --arch arm64',
      '  metalboot boot-test lk --arch both --firmware bios --expect "Welcome to LinuxKit" --json',
    ].join('\n'))
    .action(async (key: string, options: BootTestCliOptions) => {
      const { runBootTest } = await import('../boot-test/run.js');
      const { bootTestJson, formatBootTest, formatRun } = await import('../boot-test/report.js');
      const { bootRuns, parseArches, parseFirmwares } = await import('../boot-test/runs.js');
      const runs = bootRuns(parseArches(options.arch), options.firmware === undefined ? undefined : parseFirmwares(options.firmware));
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
        runs, timeoutMs: timeout * 1000, ...(expect ? { expect } : {}), ...(options.keep ? { keepDir: true } : {}),
        onPhase: options.json ? undefined : (run, phase, ms, detail) => {
          io.stderr.write(`${run.arch} ${run.firmware}: +${(ms / 1000).toFixed(1)}s ${phase}${detail && phase !== 'kernel up' ? ` ${detail}` : ''}\n`);
        },
      });
      if (options.json) printJson(io, bootTestJson(result));
      else io.stdout.write(formatBootTest(result));
      if (options.keep) io.stderr.write(`console logs kept in ${result.workDir}\n`);
      const failed = result.results.filter((r) => !r.ok);
      if (failed.length > 0) {
        throw new MetalbootError(
          `${result.image} did not boot on ${failed.map((r) => `${formatRun(r)} (reached: ${r.reached})`).join(' and ')}`,
          { code: 'E_BOOT_TEST', hint: 'the console lines above show how far it got' },
        );
      }
    });
  addConfigOption(command);
}
