/**
 * Which metalboot.yaml a command uses, decided once: `--config FILE`, else $METALBOOT_CONFIG, else
 * ./metalboot.yaml. Commands that cannot work without one (build, serve, render, push, boot-test)
 * ask for it `required`; provider commands (reimage, devices, console) ask `optional` and go on
 * without a config when none is named and ./metalboot.yaml does not exist.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { loadConfig } from './load.js';
import type { Config } from './types.js';

export const DEFAULT_CONFIG_FILE = 'metalboot.yaml';

export interface ConfigSource {
  /** The command's --config value. */
  readonly option?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Where ./metalboot.yaml is looked for (default: the working directory). */
  readonly cwd?: string;
}

/** The config file: absolute path, and whether it was named (--config, $METALBOOT_CONFIG) rather than the default. */
export function configFile(source: ConfigSource = {}): { file: string; named: boolean } {
  const cwd = source.cwd ?? process.cwd();
  const named = source.option ?? (source.env ?? process.env).METALBOOT_CONFIG;
  if (named !== undefined && named !== '') return { file: resolve(cwd, named), named: true };
  return { file: resolve(cwd, DEFAULT_CONFIG_FILE), named: false };
}

/**
 * Loads the command's config. `required`: a missing default file is an error naming it and the
 * ways to give one. `optional`: undefined when none is named and ./metalboot.yaml does not exist.
 * A named file that is missing is an error in both modes.
 */
export async function discoverConfig(source: ConfigSource, mode: 'required'): Promise<Config>;
export async function discoverConfig(source: ConfigSource, mode: 'optional'): Promise<Config | undefined>;
export async function discoverConfig(source: ConfigSource, mode: 'required' | 'optional'): Promise<Config | undefined> {
  const { file, named } = configFile(source);
  if (!named && !existsSync(file)) {
    if (mode === 'optional') return undefined;
    throw new ConfigError(`no config file: ${file} does not exist, and neither --config nor $METALBOOT_CONFIG names one`, {
      hint: `create ${DEFAULT_CONFIG_FILE} (see the README), pass --config FILE, or set METALBOOT_CONFIG`,
    });
  }
  return loadConfig(file);
}
