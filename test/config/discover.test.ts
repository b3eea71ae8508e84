/** One config discovery for every command: --config, then $METALBOOT_CONFIG, then ./metalboot.yaml. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, discoverConfig } from '../../src/config/discover.js';
import { ConfigError } from '../../src/errors.js';

describe('config discovery', () => {
  let dir: string;
  let empty: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metalboot-discover-'));
    empty = await mkdtemp(join(tmpdir(), 'metalboot-discover-empty-'));
    await writeFile(join(dir, 'metalboot.yaml'), 'server:\n  listen: 127.0.0.1:9001\n');
    await writeFile(join(dir, 'other.yaml'), 'server:\n  listen: 127.0.0.1:9002\n');
    await writeFile(join(dir, 'env.yaml'), 'server:\n  listen: 127.0.0.1:9003\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  it('takes --config first, then $METALBOOT_CONFIG, then ./metalboot.yaml', () => {
    const env = { METALBOOT_CONFIG: 'env.yaml' };
    expect(configFile({ option: 'other.yaml', env, cwd: dir })).toEqual({ file: join(dir, 'other.yaml'), named: true });
    expect(configFile({ env, cwd: dir })).toEqual({ file: join(dir, 'env.yaml'), named: true });
    expect(configFile({ env: {}, cwd: dir })).toEqual({ file: join(dir, 'metalboot.yaml'), named: false });
  });

  it.each(['required', 'optional'] as const)('%s: loads ./metalboot.yaml when nothing is named', async (mode) => {
    const config = await discoverConfig({ env: {}, cwd: dir }, mode as 'optional');
    expect(config?.server.listen.port).toBe(9001);
    expect((await discoverConfig({ env: { METALBOOT_CONFIG: 'env.yaml' }, cwd: dir }, mode as 'optional'))?.server.listen.port).toBe(9003);
  });

  it('required: a missing ./metalboot.yaml is an error naming the file and the ways to give one', async () => {
    const failure = discoverConfig({ env: {}, cwd: empty }, 'required');
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toMatchObject({
      message: `no config file: ${join(empty, 'metalboot.yaml')} does not exist, and neither --config nor $METALBOOT_CONFIG names one`,
      hint: 'create metalboot.yaml (see the README), pass --config FILE, or set METALBOOT_CONFIG',
    });
  });

  it('optional: no config when nothing is named and ./metalboot.yaml is missing', async () => {
    expect(await discoverConfig({ env: {}, cwd: empty }, 'optional')).toBeUndefined();
  });

  it.each(['required', 'optional'] as const)('%s: a named file that is missing is an error with the hint', async (mode) => {
    await expect(discoverConfig({ env: { METALBOOT_CONFIG: 'gone.yaml' }, cwd: empty }, mode as 'optional')).rejects.toMatchObject({
      message: `config file ${join(empty, 'gone.yaml')} does not exist`,
      hint: 'create metalboot.yaml (see the README), pass --config FILE, or set METALBOOT_CONFIG',
    });
  });
});
