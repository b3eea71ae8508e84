/** `metalboot render <device>`: print a device's iPXE script (or the shared chain script). */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { renderChainScript, renderForDevice } from '../ipxe/index.js';
import { addConfigOption, loadConfigFromOptions } from './common.js';
import type { CliIo } from './io.js';

interface RenderOptions {
  config?: string;
  baseUrl?: string;
  chain?: boolean;
}

export function registerRender(program: Command, io: CliIo): void {
  const command = program
    .command('render')
    .argument('[device]', 'device name, Metal id, MAC (any spelling) or SMBIOS UUID')
    .option('--base-url <url>', 'URL devices reach the server at (default: server.public_url)')
    .option('--chain', 'print the shared chain script (boot.ipxe) instead: it sends each device to its own script by MAC, then UUID')
    .summary("print a device's iPXE script")
    .description(
      "Print the iPXE script a device boots: it branches on BIOS/UEFI and CPU arch, retries every download, " +
        'and fetches content-addressed assets from the server. The image must be built first (metalboot build).',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  metalboot render web-1\n  metalboot render b4-96-91-aa-bb-01 --base-url http://10.0.0.5:8080\n  metalboot render --chain > boot.ipxe',
    )
    .action(async (key: string | undefined, options: RenderOptions) => {
      const config = await loadConfigFromOptions(options, io.env);
      const baseUrl = options.baseUrl ?? config.server.publicUrl;
      if (options.chain) {
        if (key !== undefined) throw new UsageError('give either a device or --chain, not both');
        io.stdout.write(renderChainScript(baseUrl));
        return;
      }
      if (key === undefined) throw new UsageError('which device? give its name, Metal id, MAC or UUID (or --chain)');
      // no boot token here: answer URLs (preseed, phone-home) appear only in scripts the server
      // serves during an armed boot (metalboot arm / reimage)
      const { script } = await renderForDevice(config, key, { baseUrl });
      io.stdout.write(script);
    });
  addConfigOption(command);
}
