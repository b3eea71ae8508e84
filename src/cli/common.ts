/** Small helpers shared by the command files: the config option and where the config is. */
import type { Command } from 'commander';
import type { Config } from '../config/types.js';
import { loadConfig } from '../config/load.js';

export const DEFAULT_CONFIG_FILE = 'metalboot.yaml';

/** Adds `--config FILE` to a command. */
export function addConfigOption(command: Command): Command {
  return command.option('-c, --config <file>', `config file (default: $METALBOOT_CONFIG or ./${DEFAULT_CONFIG_FILE})`);
}

export function resolveConfigPath(option: string | undefined, env: NodeJS.ProcessEnv): string {
  return option ?? env.METALBOOT_CONFIG ?? DEFAULT_CONFIG_FILE;
}

export async function loadConfigFromOptions(options: { config?: string }, env: NodeJS.ProcessEnv): Promise<Config> {
  return loadConfig(resolveConfigPath(options.config, env));
}
