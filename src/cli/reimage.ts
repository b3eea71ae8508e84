/** `metalboot reimage <device>`: boot a device into its metalboot image (or a stock OS), optionally waiting. */
import type { Command } from 'commander';
import { ProviderError, UsageError } from '../errors.js';
import type { CallRecord } from '../providers/provider.js';
import type { BootStore } from '../boots/store.js';
import type { BootArming, FollowFn, ReimageSummary } from '../reimage/index.js';
import { formatElapsed } from '../reimage/progress.js';
import { labelOf } from '../reimage/resolve.js';
import { oneLine } from '../util/control.js';
import { addConfigOption } from './common.js';
import type { CliIo } from './io.js';
import { printJson } from './io.js';

interface ReimageOptions {
  config?: string;
  provider: string;
  wait?: boolean;
  until?: string;
  timeout: string;
  dryRun?: boolean;
  json?: boolean;
  os?: string;
  userdata?: string;
  apiUrl?: string;
  server?: string;
}

export function registerReimage(program: Command, io: CliIo): void {
  const command = program
    .command('reimage')
    .argument('<device>', 'device name in the config, provider device id (UUID) or hostname')
    .option('--provider <name>', 'where the device lives: metal, qemu or redfish', 'metal')
    .option('--wait', 'follow the device and its boot events until the image is up (see --until)')
    .option('--until <state>', 'with --wait: "booted" (default for installers and RAM images that report: the system\'s own "booted" phone-home, its facts printed) or "installed" (the installer is done)')
    .option('--timeout <seconds>', 'give up waiting after this many seconds', '900')
    .option('--dry-run', 'print the calls that would change the device, change nothing')
    .option('--json', 'print a JSON summary (device, calls, phases with timestamps, total, result) on stdout')
    .option('--os <slug>', 'reinstall a stock operating system instead (e.g. debian_12)')
    .option('--userdata <file>', 'with --os: cloud-init or #!/bin/bash user data to set first')
    .option('--api-url <url>', 'Metal API base URL (default $METAL_API_URL or https://api.equinix.com/metal/v1)')
    .option('--server <url>', 'metalboot server to follow boot events from (default server.public_url)')
    .summary('re-image a device: custom_ipxe + always_pxe, then reboot or reinstall')
    .description(
      'Re-image a device into its configured metalboot image. First every URL its iPXE script fetches is checked; ' +
        'if one is unreachable nothing is changed. A device already on custom_ipxe gets ipxe_script_url and always_pxe=true ' +
        'and a reboot; any other device is reinstalled with operating_system custom_ipxe. With --os, a stock OS is reinstalled instead.\n' +
        'The API token is read from $METAL_AUTH_TOKEN only; the project from $METAL_PROJECT_ID or metal.project_id.',
    )
    .addHelpText('after', '\nExamples:\n  metalboot reimage web-1 --wait\n  metalboot reimage web-1 --wait --until installed\n  metalboot reimage web-1 --dry-run\n  metalboot reimage db-1 --os debian_12 --userdata cloud-init.yaml --wait --json')
    .action(async (key: string, options: ReimageOptions) => {
      const summary = await runReimage(key, options, io);
      if (options.json) printJson(io, summary);
      else io.stdout.write(formatSummary(summary));
      if (summary.result === 'failed' || summary.result === 'timeout') {
        throw new ProviderError(oneLine(summary.message ?? `re-imaging ${labelOf(summary.device)} ${summary.result}`), {
          code: summary.result === 'timeout' ? 'E_TIMEOUT' : 'E_REIMAGE',
        });
      }
    });
  addConfigOption(command);
}

export async function runReimage(key: string, options: ReimageOptions, io: CliIo): Promise<ReimageSummary> {
  const { followEvents, operatorToken } = await import('../events/client.js');
  const { armingFrom, createProgress, reimage, resolveDevice } = await import('../reimage/index.js');
  const { openProvider } = await import('../reimage/provider-factory.js');
  const { ipxeTarget, osTarget } = await import('../reimage/target.js');
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a number of seconds, got "${options.timeout}"`);
  const { WAIT_UNTIL } = await import('../reimage/wait.js');
  const until = WAIT_UNTIL.find((u) => u === options.until);
  if (options.until !== undefined && until === undefined) throw new UsageError(`--until must be ${WAIT_UNTIL.join(' or ')}, got "${options.until}"`);
  if (options.until !== undefined && options.wait !== true) throw new UsageError('--until goes with --wait');
  if (options.userdata !== undefined && options.os === undefined) throw new UsageError('--userdata goes with --os <slug> (a custom iPXE image gets its settings from the config)');
  const verbose = io.env.METALBOOT_DEBUG ? (line: string) => void io.stderr.write(`metal: ${line}\n`) : undefined;
  const { config, provider } = await openProvider({ ...options, log: verbose, env: io.env });
  const resolved = await resolveDevice(provider, config, key);
  const target = options.os !== undefined ? await osTarget(options.os, options.userdata) : await ipxeTarget(config, resolved);
  const label = labelOf(resolved);
  const serverUrl = options.server ?? config?.server.publicUrl;
  const progress = createProgress(label, io.stderr, { quiet: options.dryRun === true });
  let warned = false;
  const follow: FollowFn | undefined = serverUrl === undefined
    ? undefined
    : (opts, onEvent) =>
        followEvents(serverUrl, {
          ...opts,
          token: operatorToken(io.env),
          retryMs: 2_000,
          onError: (error) => {
            if (!warned) progress.info(`cannot follow boot events from ${serverUrl} (${error.message}); still trying`);
            warned = true;
          },
        }, onEvent);
  const boots = config && !options.dryRun && options.os === undefined ? await openBoots(config.server.stateDir) : undefined;
  const arming: BootArming | undefined = boots && armingFrom(boots);
  const summary = await reimage(
    { provider, ...(follow ? { follow } : {}), ...(arming ? { arming } : {}), progress },
    {
      resolved,
      target,
      wait: options.wait === true,
      timeoutMs: timeoutSeconds * 1000,
      dryRun: options.dryRun === true,
      consoleCommand: `metalboot console ${resolved.name ?? resolved.id}`,
      ...(until ? { until } : {}),
    },
  );
  boots?.close();
  await provider.close?.();
  if (options.dryRun && !options.json) {
    for (const call of summary.calls) io.stdout.write(`would ${provider.describeCall?.(call) ?? describeGeneric(call)}\n`);
  }
  return summary;
}

/** The armed-boot store `metalboot serve` reads (src/boots/), in the config's state directory. */
async function openBoots(stateDir: string): Promise<BootStore> {
  const { BootStore, bootsFile } = await import('../boots/store.js');
  return new BootStore(bootsFile(stateDir));
}

function describeGeneric(call: CallRecord): string {
  return `${call.call} ${call.device}${call.args ? ` ${JSON.stringify(call.args)}` : ''}`;
}

/** The one line a person reads after the run ('' for failures: those are the error message). */
function formatSummary(summary: ReimageSummary): string {
  const label = labelOf(summary.device);
  if (summary.result === 'dry-run') return `${label}: dry run (${summary.path}); nothing was changed\n`;
  if (summary.result === 'started') return `${label}: ${summary.path} requested; follow it with --wait or "${summary.console}"\n`;
  if (summary.result === 'succeeded') return `${oneLine(`${label}: re-imaged in ${formatElapsed(summary.totalMs)}${summary.message ? ` (${summary.message})` : ''}`)}\n`;
  return '';
}
