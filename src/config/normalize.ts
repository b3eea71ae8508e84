/** Turns parsed YAML into a validated Config, one section at a time. Pure: no I/O. */
import { resolve } from 'node:path';
import type { Config, DeviceConfig, ImageConfig, MetalConfig, ServerConfig } from './types.js';
import type { Where } from './fields.js';
import { checkKeys, fail, readHttpUrl, readInteger, readMapping, readOptionalString, readString, show } from './fields.js';
import { normalizeImage, readPath } from './images.js';
import { normalizeDevice } from './devices.js';
import { listenUrl, parseListenAddress } from './listen.js';

const TOP_KEYS = ['server', 'images', 'devices', 'metal'];
const SERVER_KEYS = ['listen', 'public_url', 'state_dir', 'cache_mb'];

export function normalizeConfig(raw: unknown, where: Where, dir: string): Config {
  const top = raw === null || raw === undefined ? {} : readMapping(where, [], raw);
  checkKeys(where, [], top, TOP_KEYS);

  const server = normalizeServer(where, top.server, dir);
  const metal = normalizeMetal(where, top.metal);

  const imagesRaw = top.images === undefined || top.images === null ? {} : readMapping(where, ['images'], top.images);
  const images: Record<string, ImageConfig> = {};
  for (const [name, value] of Object.entries(imagesRaw)) images[name] = normalizeImage(where, dir, name, value);

  const devicesRaw = top.devices === undefined || top.devices === null ? {} : readMapping(where, ['devices'], top.devices);
  const devices: Record<string, DeviceConfig> = {};
  for (const [name, value] of Object.entries(devicesRaw)) devices[name] = normalizeDevice(where, name, value, Object.keys(images));
  checkUnique(where, devices);

  return { file: where.file, dir, server, images, devices, metal };
}

function normalizeServer(where: Where, value: unknown, dir: string): ServerConfig {
  const map = value === undefined || value === null ? {} : readMapping(where, ['server'], value);
  checkKeys(where, ['server'], map, SERVER_KEYS);
  const listen = readListen(where, map.listen);
  return {
    listen,
    publicUrl: map.public_url === undefined ? listenUrl(listen) : readHttpUrl(where, ['server', 'public_url'], map.public_url),
    publicUrlExplicit: map.public_url !== undefined,
    stateDir: map.state_dir === undefined ? resolve(dir, '.metalboot') : readPath(where, ['server', 'state_dir'], map.state_dir, dir),
    cacheBytes: (map.cache_mb === undefined ? 256 : readInteger(where, ['server', 'cache_mb'], map.cache_mb, 0, 65_536)) * 1024 * 1024,
  };
}

function readListen(where: Where, value: unknown): { host: string; port: number } {
  if (value === undefined || value === null) return { host: '127.0.0.1', port: 8080 };
  const text = readString(where, ['server', 'listen'], value);
  const address = parseListenAddress(text, '127.0.0.1');
  if (!address) fail(where, ['server', 'listen'], `${show(text)} is not HOST:PORT; expected something like 127.0.0.1:8080 or 0.0.0.0:80`);
  return address;
}

function normalizeMetal(where: Where, value: unknown): MetalConfig {
  if (value === undefined || value === null) return {};
  const map = readMapping(where, ['metal'], value);
  checkKeys(where, ['metal'], map, ['project_id', 'api_url']);
  const projectId = readOptionalString(where, ['metal', 'project_id'], map.project_id);
  return {
    ...(projectId === undefined ? {} : { projectId }),
    ...(map.api_url === undefined ? {} : { apiUrl: readHttpUrl(where, ['metal', 'api_url'], map.api_url) }),
  };
}

/** A MAC, UUID or Metal id may belong to one device only, or lookups would be ambiguous. */
function checkUnique(where: Where, devices: Record<string, DeviceConfig>): void {
  const owners = new Map<string, string>();
  for (const device of Object.values(devices)) {
    const keys: [string, string, (string | number)[]][] = [
      ...device.macs.map((mac, index): [string, string, (string | number)[]] => [`mac ${mac}`, mac, ['macs', index]]),
      ...(device.uuid ? [[`uuid ${device.uuid}`, device.uuid, ['uuid']] as [string, string, (string | number)[]]] : []),
      ...(device.metalId ? [[`metal_id ${device.metalId}`, device.metalId, ['metal_id']] as [string, string, (string | number)[]]] : []),
    ];
    for (const [key, value, sub] of keys) {
      const owner = owners.get(key);
      if (owner !== undefined && owner !== device.name) {
        fail(where, ['devices', device.name, ...sub], `${show(value)} is already used by device "${owner}"; each device needs its own`);
      }
      owners.set(key, device.name);
    }
  }
}
