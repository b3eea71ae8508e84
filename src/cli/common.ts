/** Small helpers shared by the command files: the config option and where the config is. */
import type { Command } from 'commander';
import type { Config } from '../config/types.js';
import { configFile, DEFAULT_CONFIG_FILE, discoverConfig } from '../config/discover.js';

/** Adds `--config FILE` to a command. */
export function addConfigOption(command: Command): Command {
  return command.option('-c, --config <file>', `config file (default: $METALBOOT_CONFIG or ./${DEFAULT_CONFIG_FILE})`);
}

export function resolveConfigPath(option: string | undefined, env: NodeJS.ProcessEnv): string {
  return configFile({ option, env }).file;
}

export async function loadConfigFromOptions(options: { config?: string }, env: NodeJS.ProcessEnv): Promise<Config> {
  return discoverConfig({ option: options.config, env }, 'required');
}
