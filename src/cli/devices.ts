/** `metalboot devices`: the provider's devices (id, hostname, state, OS, always_pxe, ipxe_script_url, plan, metro). */
import type { Command } from 'commander';
import { deviceRow, formatDeviceTable } from '../reimage/devices-table.js';
import { addConfigOption } from './common.js';
import type { CliIo } from './io.js';
import { printJson } from './io.js';

interface DevicesOptions {
  config?: string;
  provider: string;
  json?: boolean;
  apiUrl?: string;
  hostname?: string;
  tag?: string;
}

export function registerDevices(program: Command, io: CliIo): void {
  const command = program
    .command('devices')
    .option('--provider <name>', 'metal, qemu or redfish', 'metal')
    .option('--json', 'print JSON rows instead of a table')
    .option('--hostname <text>', 'only devices whose hostname contains this')
    .option('--tag <tag>', 'only devices with this tag')
    .option('--api-url <url>', 'Metal API base URL (default $METAL_API_URL or https://api.equinix.com/metal/v1)')
    .summary("list the project's devices")
    .description('List the devices of the project ($METAL_PROJECT_ID or metal.project_id): id, hostname, state, OS, always_pxe, plan, metro, ipxe_script_url.')
    .action(async (options: DevicesOptions) => {
      const { openProvider } = await import('../reimage/provider-factory.js');
      const { provider } = await openProvider({ ...options, env: io.env });
      const devices = await provider.listDevices({
        ...(options.hostname ? { hostname: options.hostname } : {}),
        ...(options.tag ? { tag: options.tag } : {}),
      });
      await provider.close?.();
      if (options.json) printJson(io, devices.map(deviceRow));
      else io.stdout.write(formatDeviceTable(devices));
    });
  addConfigOption(command);
}
