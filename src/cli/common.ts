/** Small helpers shared by the command files: config option, JSON output. */
import type { Command } from 'commander';
import type { Config } from '../config/types.js';
import { configFile, DEFAULT_CONFIG_FILE, discoverConfig } from '../config/discover.js';

/** Adds `--config FILE` to a command. */
export function addConfigOption(command: Command): Command {
  return command.option('-c, --config <file>', `config file (default: $METALBOOT_CONFIG or ./${DEFAULT_CONFIG_FILE})`);
}

export function resolveConfigPath(option: string | undefined): string {
  return configFile({ option }).file;
}

export async function loadConfigFromOptions(options: { config?: string }): Promise<Config> {
  return discoverConfig({ option: options.config }, 'required');
}

/** Writes one JSON document to stdout (for --json). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
