/**
 * A device's `bmc:` section (the Redfish provider). Credentials are never written in the config:
 * they come from two environment variables (username_env / password_env, default
 * METALBOOT_BMC_USERNAME / METALBOOT_BMC_PASSWORD) or from a credentials_file that only its owner
 * may read (0600, checked when it is read). TLS: the system's CAs, `tls.ca_file`, or an explicit
 * `insecure: true`; plain http:// is accepted for loopback addresses (simulators) or with `insecure`.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Path, Where } from './fields.js';
import { checkKeys, fail, readEnum, readMapping, readOptionalString, readString, show } from './fields.js';

export interface BmcConfig {
  /** Base URL of the BMC (scheme, host, optional port), without a trailing slash. */
  readonly url: string;
  readonly credentials:
    | { readonly kind: 'env'; readonly usernameEnv: string; readonly passwordEnv: string }
    | { readonly kind: 'file'; readonly file: string };
  readonly tls: { readonly kind: 'system' } | { readonly kind: 'ca'; readonly caFile: string } | { readonly kind: 'insecure' };
  /** Which ComputerSystem: its Id or its path (/redfish/v1/Systems/…); default the only one. */
  readonly system?: string;
  /** What the one-time boot override points at. Default Pxe. */
  readonly bootTarget: 'Pxe' | 'UefiHttp';
  /** With UefiHttp: the URI the firmware fetches (an EFI program, e.g. iPXE's snponly.efi). */
  readonly httpBootUri?: string;
  /** `file:line` of this section, for problems found when it is used (the credentials file). */
  readonly source: string;
}

export const DEFAULT_USERNAME_ENV = 'METALBOOT_BMC_USERNAME';
export const DEFAULT_PASSWORD_ENV = 'METALBOOT_BMC_PASSWORD';
const BMC_KEYS = ['url', 'username_env', 'password_env', 'credentials_file', 'tls', 'insecure', 'system', 'boot', 'http_boot_uri'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/;

export function normalizeBmc(where: Where, path: Path, raw: unknown): BmcConfig {
  const map = readMapping(where, path, raw);
  for (const key of ['username', 'password']) {
    if (key in map) fail(where, [...path, key], `credentials never go in metalboot.yaml; name the environment variable that holds it with ${key}_env, or use credentials_file (a 0600 file)`);
  }
  checkKeys(where, path, map, BMC_KEYS);
  const url = readBmcUrl(where, [...path, 'url'], map.url);
  const insecure = readInsecure(where, [...path, 'insecure'], map.insecure);
  const caFile = readCaFile(where, [...path, 'tls'], map.tls);
  if (insecure && caFile !== undefined) fail(where, [...path, 'insecure'], 'give either tls.ca_file or insecure: true, not both');
  if (new URL(url).protocol === 'http:' && !insecure && !LOOPBACK.test(new URL(url).hostname)) {
    fail(where, [...path, 'url'], `${show(url)} is plain http to a non-loopback host: the BMC password would cross the network in clear`, 'use https:// (with tls.ca_file for a private CA), or add insecure: true if you accept that');
  }
  const bootTarget = map.boot === undefined ? 'Pxe' : readEnum(where, [...path, 'boot'], map.boot, ['pxe', 'uefi_http'] as const) === 'pxe' ? 'Pxe' : 'UefiHttp';
  const httpBootUri = readOptionalString(where, [...path, 'http_boot_uri'], map.http_boot_uri);
  if (bootTarget === 'UefiHttp' && httpBootUri === undefined) fail(where, [...path, 'http_boot_uri'], 'boot: uefi_http needs http_boot_uri (the EFI program the firmware fetches, e.g. http://boot.example:8080/snponly.efi)');
  if (bootTarget === 'Pxe' && httpBootUri !== undefined) fail(where, [...path, 'http_boot_uri'], 'http_boot_uri is used with boot: uefi_http only');
  const system = readOptionalString(where, [...path, 'system'], map.system);
  return {
    url,
    credentials: readCredentials(where, path, map),
    tls: insecure ? { kind: 'insecure' } : caFile !== undefined ? { kind: 'ca', caFile } : { kind: 'system' },
    ...(system === undefined ? {} : { system }),
    bootTarget,
    ...(httpBootUri === undefined ? {} : { httpBootUri }),
    source: `${where.file}${where.lineOf(path) === undefined ? '' : `:${where.lineOf(path)}`}`,
  };
}

function readBmcUrl(where: Where, path: Path, value: unknown): string {
  const text = readString(where, path, value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(where, path, `${show(text)} is not a URL; expected the BMC's address like https://10.0.0.5 or https://bmc-web-1.example`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(where, path, `${show(text)} must be an https:// URL`);
  if (url.username || url.password) fail(where, path, 'the URL carries credentials; put them in the environment or a credentials_file instead', 'remove user:password@ from the URL');
  if (url.pathname !== '/' && url.pathname !== '' && !/^\/redfish\/v1\/?$/.test(url.pathname)) fail(where, path, `${show(text)}: give the BMC's address only (the client finds /redfish/v1 itself)`);
  return `${url.protocol}//${url.host}`;
}

function readInsecure(where: Where, path: Path, value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (value === true) return true;
  return fail(where, path, `expected true or false, got ${show(value)}`);
}

function readCaFile(where: Where, path: Path, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const map = readMapping(where, path, value);
  checkKeys(where, path, map, ['ca_file']);
  return resolveFile(where, readString(where, [...path, 'ca_file'], map.ca_file));
}

function readCredentials(where: Where, path: Path, map: Record<string, unknown>): BmcConfig['credentials'] {
  const file = readOptionalString(where, [...path, 'credentials_file'], map.credentials_file);
  if (file !== undefined) {
    if (map.username_env !== undefined || map.password_env !== undefined) fail(where, [...path, 'credentials_file'], 'give either credentials_file or username_env/password_env, not both');
    return { kind: 'file', file: resolveFile(where, file) };
  }
  const readEnvName = (key: string, fallback: string): string => {
    const name = readOptionalString(where, [...path, key], map[key]) ?? fallback;
    if (!ENV_NAME.test(name)) fail(where, [...path, key], `${show(name)} is not an environment variable name (letters, digits, _)`, 'name the variable that holds the value, never the value itself');
    return name;
  };
  return { kind: 'env', usernameEnv: readEnvName('username_env', DEFAULT_USERNAME_ENV), passwordEnv: readEnvName('password_env', DEFAULT_PASSWORD_ENV) };
}

function resolveFile(where: Where, file: string): string {
  return isAbsolute(file) ? file : resolve(where.file === '<inline>' ? process.cwd() : dirname(where.file), file);
}
