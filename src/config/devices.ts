/** The `devices:` section of metalboot.yaml. */
import type { AlwaysPxe, BondConfig, DeviceConfig } from './types.js';
import { DEFAULT_BOND } from './types.js';
import type { Path, Where } from './fields.js';
import {
  checkKeys, checkName, fail, readArgs, readEnum, readInteger, readMapping, readOptionalString, readString, readStringList, show,
} from './fields.js';
import { normalizeMac, normalizeUuid } from './mac.js';
import { normalizeBmc } from './bmc.js';

const DEVICE_KEYS = ['metal_id', 'macs', 'mac', 'uuid', 'image', 'hostname', 'kernel_args', 'bond', 'always_pxe', 'ssh_keys', 'firmware', 'bmc'];
const BOND_KEYS = ['mode', 'lacp_rate', 'miimon', 'xmit_hash_policy'];
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function normalizeDevice(where: Where, name: string, raw: unknown, imageNames: readonly string[]): DeviceConfig {
  const path: Path = ['devices', name];
  checkName(where, path, 'device', name);
  const map = readMapping(where, path, raw);
  checkKeys(where, path, map, DEVICE_KEYS);

  const image = readString(where, [...path, 'image'], map.image);
  if (!imageNames.includes(image)) {
    fail(where, [...path, 'image'], `no image named ${show(image)}; images in this file: ${imageNames.join(', ') || '(none)'}`);
  }

  const macKey = map.macs !== undefined ? 'macs' : 'mac';
  const macsRaw = map.macs ?? (map.mac === undefined ? undefined : [map.mac]);
  const macs = readStringList(where, [...path, macKey], macsRaw).map((text, index) => {
    const mac = normalizeMac(text);
    if (!mac) fail(where, [...path, macKey, index], `${show(text)} is not a MAC address; expected six hex pairs like b4:96:91:aa:bb:01`);
    return mac;
  });

  let uuid: string | undefined;
  const uuidText = readOptionalString(where, [...path, 'uuid'], map.uuid);
  if (uuidText !== undefined) {
    uuid = normalizeUuid(uuidText);
    if (!uuid) fail(where, [...path, 'uuid'], `${show(uuidText)} is not an SMBIOS UUID; expected 8-4-4-4-12 hex digits`);
  }

  let metalId: string | undefined;
  const metalText = readOptionalString(where, [...path, 'metal_id'], map.metal_id);
  if (metalText !== undefined) {
    metalId = normalizeUuid(metalText);
    if (!metalId) fail(where, [...path, 'metal_id'], `${show(metalText)} is not an Equinix Metal device id; expected a UUID (see "metalboot devices")`);
  }

  const hostname = readOptionalString(where, [...path, 'hostname'], map.hostname) ?? name;
  if (!HOSTNAME.test(hostname)) fail(where, [...path, 'hostname'], `${show(hostname)} is not a valid hostname (letters, digits, "-" and dots)`);

  return {
    name,
    ...(metalId === undefined ? {} : { metalId }),
    macs,
    ...(uuid === undefined ? {} : { uuid }),
    image,
    hostname,
    kernelArgs: readArgs(where, [...path, 'kernel_args'], map.kernel_args),
    bond: readBond(where, [...path, 'bond'], map.bond),
    alwaysPxe: readAlwaysPxe(where, [...path, 'always_pxe'], map.always_pxe),
    sshKeys: readStringList(where, [...path, 'ssh_keys'], map.ssh_keys),
    ...(map.firmware === undefined ? {} : { firmware: readEnum(where, [...path, 'firmware'], map.firmware, ['bios', 'uefi'] as const) }),
    ...(map.bmc === undefined || map.bmc === null ? {} : { bmc: normalizeBmc(where, [...path, 'bmc'], map.bmc) }),
  };
}

function readBond(where: Where, path: Path, value: unknown): BondConfig {
  if (value === undefined || value === null) return DEFAULT_BOND;
  const map = readMapping(where, path, value);
  checkKeys(where, path, map, BOND_KEYS);
  return {
    mode: readOptionalString(where, [...path, 'mode'], map.mode) ?? DEFAULT_BOND.mode,
    lacpRate: map.lacp_rate === undefined ? DEFAULT_BOND.lacpRate : readEnum(where, [...path, 'lacp_rate'], map.lacp_rate, ['slow', 'fast'] as const),
    miimon: map.miimon === undefined ? DEFAULT_BOND.miimon : readInteger(where, [...path, 'miimon'], map.miimon, 0, 60_000),
    xmitHashPolicy: map.xmit_hash_policy === undefined
      ? DEFAULT_BOND.xmitHashPolicy
      : readEnum(where, [...path, 'xmit_hash_policy'], map.xmit_hash_policy, ['layer2', 'layer2+3', 'layer3+4', 'encap2+3', 'encap3+4', 'vlan+srcmac'] as const),
  };
}

function readAlwaysPxe(where: Where, path: Path, value: unknown): AlwaysPxe {
  if (value === undefined || value === null || value === 'auto') return 'auto';
  if (typeof value === 'boolean') return value;
  return fail(where, path, `expected auto, true or false, got ${show(value)}`);
}
