/** `--systems FILE`: a YAML/JSON list of systems ({ id, name?, hostName?, macs?, powerState? }). Pure. */
import { parse } from 'yaml';
import { MetalbootError } from '../../errors.js';
import type { SimSystemSeed } from './world.js';

const KEYS = ['id', 'name', 'hostName', 'macs', 'powerState', 'uuid'];
const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

export function parseSystemSeeds(text: string, file: string): SimSystemSeed[] {
  const value = parse(text) as unknown;
  const bad = (message: string): never => {
    throw new MetalbootError(`${file}: ${message}`, { code: 'E_USAGE', exitCode: 2, hint: 'expected a list like: - { id: node1, macs: ["52:54:00:00:00:01"], powerState: Off }' });
  };
  if (!Array.isArray(value) || value.length === 0) return bad('expected a non-empty list of systems');
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) return bad(`item ${index + 1} is not a mapping`);
    const seed = item as Record<string, unknown>;
    const unknown = Object.keys(seed).filter((key) => !KEYS.includes(key));
    if (unknown.length > 0) bad(`item ${index + 1}: unknown field ${unknown.join(', ')} (fields: ${KEYS.join(', ')})`);
    if (typeof seed.id !== 'string' || !ID.test(seed.id)) bad(`item ${index + 1}: id must be letters, digits, ".", "_" or "-"`);
    if (seen.has(seed.id as string)) bad(`item ${index + 1}: id ${String(seed.id)} is used twice`);
    seen.add(seed.id as string);
    if (seed.macs !== undefined && (!Array.isArray(seed.macs) || seed.macs.some((mac) => typeof mac !== 'string' || !MAC.test(mac)))) bad(`item ${index + 1}: macs must be a list of MAC addresses`);
    if (seed.powerState !== undefined && seed.powerState !== 'On' && seed.powerState !== 'Off') bad(`item ${index + 1}: powerState must be On or Off`);
    for (const key of ['name', 'hostName', 'uuid']) if (seed[key] !== undefined && typeof seed[key] !== 'string') bad(`item ${index + 1}: ${key} must be a string`);
    return seed as SimSystemSeed;
  });
}
