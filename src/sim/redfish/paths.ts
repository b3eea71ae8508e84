/**
 * Where DMTF's Redfish files are: $METALBOOT_REDFISH_DIR, else `<package root>/../shared/redfish`
 * (json-schema/ and mockup-public-rackmount1/ inside it).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { MetalbootError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';

export function redfishDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.METALBOOT_REDFISH_DIR;
  if (fromEnv) return resolve(fromEnv);
  const candidates = [resolve(PACKAGE_ROOT, '../shared/redfish'), resolve(process.cwd(), '../shared/redfish')];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

/** A folder under the Redfish dir, or an error naming where it was looked for. */
export function redfishPart(part: 'json-schema' | 'mockup-public-rackmount1', env: NodeJS.ProcessEnv = process.env): string {
  const dir = resolve(redfishDir(env), part);
  if (!existsSync(dir)) {
    throw new MetalbootError(`DMTF's Redfish ${part} folder is not at ${dir}`, {
      code: 'E_REDFISH_SPEC',
      hint: 'the Redfish simulator serves and validates against ../shared/redfish; set METALBOOT_REDFISH_DIR to the folder holding json-schema/ and mockup-public-rackmount1/',
    });
  }
  return dir;
}
