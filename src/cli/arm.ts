/**
 * `metalboot arm <device> [--for 2h] [--json]` / `--disarm`: opens (or closes) the window in which a
 * device may read its answers (preseed, kickstart, per-device data) and post phone-home reports,
 * for boots nobody starts through a provider (`reimage` arms by itself). The boot store is the one
 * `metalboot serve` reads (`<state_dir>/boots.db`), so a running server sees it at once.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addConfigOption, loadConfigFromOptions } from './common.js';
import type { CliIo } from './io.js';
import { printJson } from './io.js';

interface ArmOptions {
  config?: string;
  for: string;
  disarm?: boolean;
  json?: boolean;
}

export function registerArm(program: Command, io: CliIo): void {
  const command = program
    .command('arm')
    .argument('<device>', 'device name in the config, MAC, Metal id or UUID')
    .option('--for <duration>', 'how long the window stays open: 2h, 90m, 1d, 1h30m', '2h')
    .option('--disarm', 'close the device\'s window now (its boot tokens stop working)')
    .option('--json', 'print {device, armed, armedAt, expiresAt, scriptUrl} on stdout')
    .summary('let a device read its answers during its next boot')
    .description(
      'Arm a device\'s next boot: for the window (default 2h) its installer answers and phone-home URL work, with a token ' +
        'minted for this boot only. The window ends at --for, when the device reports "booted", or with --disarm. ' +
        'Devices that are not armed get 404 for their answers (a RAM image still boots, without them).\n' +
        'A device booting through /boot.ipxe needs nothing more: its script, fetched by MAC or UUID, carries a token bound to ' +
        'the address that fetched it. A provider you drive by hand gets the printed script URL (it holds the boot token: treat it as a secret).',
    )
    .addHelpText('after', '\nExamples:\n  metalboot arm web-1\n  metalboot arm b4:96:91:aa:bb:01 --for 30m\n  metalboot arm web-1 --disarm\n  metalboot arm web-1 --json | jq -r .scriptUrl')
    .action(async (key: string, options: ArmOptions) => {
      const { findDevice } = await import('../config/lookup.js');
      const { BootStore, bootsFile } = await import('../boots/store.js');
      const { parseDuration } = await import('../util/duration.js');
      const { deviceUrls } = await import('../ipxe/urls.js');
      const config = await loadConfigFromOptions(options, io.env);
      const device = findDevice(config, key);
      if (!device) {
        throw new UsageError(`no device "${key}" in ${config.file} (looked up by name, Metal id, MAC and UUID)`, {
          hint: `devices: ${Object.keys(config.devices).join(', ') || '(none)'}`,
        });
      }
      // a window longer than a week is refused: an armed boot is meant to end
      const windowMs = options.disarm ? 0 : parseDuration(options.for, '--for', 7 * 86_400_000);
      const store = new BootStore(bootsFile(config.server.stateDir));
      try {
        if (options.disarm) {
          const was = store.end(device.name);
          if (options.json) printJson(io, { device: device.name, armed: false });
          else io.stdout.write(`${device.name}: ${was ? 'disarmed; its boot tokens no longer work' : 'was not armed'}\n`);
          return;
        }
        const { boot, token } = store.arm(device.name, windowMs);
        const scriptUrl = `${deviceUrls(config.server.publicUrl, device.name, token).script}?token=${token}`;
        const expiresAt = new Date(boot.expiresAt).toISOString();
        if (options.json) printJson(io, { device: device.name, armed: true, armedAt: new Date(boot.armedAt).toISOString(), expiresAt, scriptUrl });
        else io.stdout.write(`${device.name}: armed until ${expiresAt} (or its "booted" report)\n  script URL: ${scriptUrl}\n`);
      } finally {
        store.close();
      }
    });
  addConfigOption(command);
}
