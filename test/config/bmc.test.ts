import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { BmcConfig } from '../../src/config/types.js';
import { ConfigError } from '../../src/errors.js';
import { readCredentials } from '../../src/providers/redfish/credentials.js';

const FILE = '/srv/metalboot.yaml';
const HEAD = 'images:\n  ram: { type: files, variants: { x86_64: { kernel: /k, initrd: /i } } }\ndevices:\n  web-1:\n    image: ram\n    bmc:\n';

function bmcOf(lines: string): BmcConfig {
  return parseConfig(`${HEAD}${lines}`, FILE).devices['web-1']!.bmc!;
}

function errorOf(lines: string): string {
  try {
    bmcOf(lines);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the bmc section of a device', () => {
  it('defaults: credentials from METALBOOT_BMC_USERNAME/PASSWORD, system CAs, PXE', () => {
    expect(bmcOf('      url: https://10.0.0.5/redfish/v1/\n')).toEqual({
      url: 'https://10.0.0.5',
      credentials: { kind: 'env', usernameEnv: 'METALBOOT_BMC_USERNAME', passwordEnv: 'METALBOOT_BMC_PASSWORD' },
      tls: { kind: 'system' },
      bootTarget: 'Pxe',
      source: `${FILE}:6`,
    });
  });

  it('resolves ca_file and credentials_file next to the config', () => {
    const bmc = bmcOf('      url: https://bmc.example\n      tls: { ca_file: ca.pem }\n      credentials_file: secrets/web-1.yaml\n      system: "1"\n');
    expect(bmc).toMatchObject({ tls: { kind: 'ca', caFile: '/srv/ca.pem' }, credentials: { kind: 'file', file: '/srv/secrets/web-1.yaml' }, system: '1' });
  });

  it.each([
    ['plain http to another host', '      url: http://10.0.0.5\n', `${FILE}:7: devices.web-1.bmc.url: "http://10.0.0.5" is plain http to a non-loopback host: the BMC password would cross the network in clear`],
    ['credentials in the URL', '      url: https://admin:pw@10.0.0.5\n', `${FILE}:7: devices.web-1.bmc.url: the URL carries credentials; put them in the environment or a credentials_file instead`],
    ['a password where the variable name goes', '      url: https://10.0.0.5\n      password_env: "hunter2!"\n', `${FILE}:8: devices.web-1.bmc.password_env: "hunter2!" is not an environment variable name (letters, digits, _)`],
    ['a password field', '      url: https://10.0.0.5\n      password: x\n', `${FILE}:8: devices.web-1.bmc.password: credentials never go in metalboot.yaml; name the environment variable that holds it with password_env, or use credentials_file (a 0600 file)`],
    ['both a CA file and insecure', '      url: https://10.0.0.5\n      insecure: true\n      tls: { ca_file: /ca.pem }\n', `${FILE}:8: devices.web-1.bmc.insecure: give either tls.ca_file or insecure: true, not both`],
    ['uefi_http without a URI', '      url: https://10.0.0.5\n      boot: uefi_http\n', `${FILE}:6: devices.web-1.bmc.http_boot_uri: boot: uefi_http needs http_boot_uri`],
  ])('%s is refused with file:line, field and fix', (_name, lines, message) => {
    expect(errorOf(lines)).toContain(message);
  });

  it('accepts plain http on loopback (the simulator) and with insecure: true', () => {
    expect(bmcOf('      url: http://127.0.0.1:8443\n').url).toBe('http://127.0.0.1:8443');
    expect(bmcOf('      url: http://10.0.0.5\n      insecure: true\n').tls).toEqual({ kind: 'insecure' });
  });
});

describe('BMC credentials', () => {
  it('come from the two variables and name the unset one, never a value', () => {
    const bmc = bmcOf('      url: https://10.0.0.5\n      username_env: WEB1_USER\n      password_env: WEB1_PASS\n');
    expect(readCredentials(bmc, { WEB1_USER: 'admin', WEB1_PASS: 's3cret' })).toEqual({ username: 'admin', password: 's3cret' });
    expect(() => readCredentials(bmc, { WEB1_USER: 'admin' })).toThrow(`${FILE}:6: the BMC credentials are read from $WEB1_USER and $WEB1_PASS, and $WEB1_PASS is not set`);
  });

  it('come from a credentials file only its owner can read', () => {
    dir = mkdtempSync(join(tmpdir(), 'metalboot-bmc-'));
    const file = join(dir, 'web-1.yaml');
    writeFileSync(file, 'username: admin\npassword: "Fi1e-Secret"\n', { mode: 0o644 });
    const bmc = parseConfig(`${HEAD}      url: https://10.0.0.5\n      credentials_file: ${file}\n`, FILE).devices['web-1']!.bmc!;
    expect(() => readCredentials(bmc)).toThrow(`${FILE}:6: bmc.credentials_file ${file} may be read by others (mode 644); it holds a BMC password`);
    chmodSync(file, 0o600);
    expect(readCredentials(bmc)).toEqual({ username: 'admin', password: 'Fi1e-Secret' });
    writeFileSync(file, 'password: "Fi1e-Secret"\n', { mode: 0o600 });
    let message = '';
    try {
      readCredentials(bmc);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('needs two lines, username: … and password: …');
    expect(message).not.toContain('Fi1e-Secret');
  });
});
