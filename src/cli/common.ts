/** Small helpers shared by the command files: config option, JSON output. */
import type { Command } from 'commander';
import type { Config } from '../config/types.js';
import { loadConfig } from '../config/load.js';

export const DEFAULT_CONFIG_FILE = 'metalboot.yaml';

/** Adds `--config FILE` to a command. */
export function addConfigOption(command: Command): Command {
  return command.option('-c, --config <file>', `config file (default: $METALBOOT_CONFIG or ./${DEFAULT_CONFIG_FILE})`);
}

export function resolveConfigPath(option: string | undefined): string {
  return option ?? process.env.METALBOOT_CONFIG ?? DEFAULT_CONFIG_FILE;
}

export async function loadConfigFromOptions(options: { config?: string }): Promise<Config> {
  return loadConfig(resolveConfigPath(options.config));
}

/** Writes one JSON document to stdout (for --json). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
