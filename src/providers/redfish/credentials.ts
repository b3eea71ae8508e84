/**
 * The BMC username and password of a device: from the two environment variables its bmc section
 * names, or from its credentials_file (a YAML mapping `username: …` / `password: …` that nobody but
 * its owner may read). Errors name the variable or the file, never a value.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import type { BmcConfig } from '../../config/types.js';
import { ConfigError } from '../../errors.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export function readCredentials(bmc: BmcConfig, env: NodeJS.ProcessEnv = process.env): Credentials {
  if (bmc.credentials.kind === 'env') {
    const { usernameEnv, passwordEnv } = bmc.credentials;
    const username = env[usernameEnv];
    const password = env[passwordEnv];
    const unset = [...(username ? [] : [usernameEnv]), ...(password ? [] : [passwordEnv])];
    if (unset.length > 0) {
      throw new ConfigError(`${bmc.source}: the BMC credentials are read from $${usernameEnv} and $${passwordEnv}, and ${unset.map((name) => `$${name}`).join(' and ')} ${unset.length === 1 ? 'is' : 'are'} not set`, {
        hint: `export ${unset.join('=… and ')}=… (or use bmc.credentials_file, a 0600 file with username: and password:)`,
      });
    }
    return { username: username!, password: password! };
  }
  const { file } = bmc.credentials;
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    throw new ConfigError(`${bmc.source}: bmc.credentials_file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { hint: 'create it with username: and password: lines, then chmod 600 it', cause: error });
  }
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(`${bmc.source}: bmc.credentials_file ${file} may be read by others (mode ${(mode & 0o777).toString(8)}); it holds a BMC password`, { hint: `chmod 600 ${file}` });
  }
  let value: unknown;
  try {
    value = parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    value = undefined;
  }
  const { username, password } = (typeof value === 'object' && value !== null ? value : {}) as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    throw new ConfigError(`${bmc.source}: bmc.credentials_file ${file} needs two lines, username: … and password: …`, { hint: 'write it as YAML: username: admin / password: …' });
  }
  return { username, password };
}
