/**
 * DMTF's public-rackmount1 mockup as a map from URI (`/redfish/v1/Systems/437XR1138R2`) to the
 * resource it serves. Loaded once per process; callers get copies.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redfishPart } from './paths.js';

type Json = Record<string, unknown>;

let cached: ReadonlyMap<string, string> | undefined;

/** URI → the resource's JSON text. */
export function loadMockup(): ReadonlyMap<string, string> {
  cached ??= readMockup(redfishPart('mockup-public-rackmount1'));
  return cached;
}

/**
 * Where the mockup breaks the schemas it names, the simulator repairs it (it validates every answer):
 * Role v1_3 requires RoleId, ServiceConditions requires Id. `/redfish/v1/odata` (an OData service
 * document with no Redfish schema) is not served.
 */
const REPAIRS: Readonly<Record<string, (resource: Json) => Json>> = {
  Role: (resource) => ({ RoleId: resource.Id, ...resource }),
  ServiceConditions: (resource) => ({ Id: 'ServiceConditions', ...resource }),
};
const NOT_SERVED = new Set(['/redfish/v1/odata']);

/** A copy of the mockup resource at `uri`, with every occurrence of `from` in it replaced by `to`. */
export function mockupResource(uri: string, rename?: { from: string; to: string }): Json | undefined {
  const text = NOT_SERVED.has(uri) ? undefined : loadMockup().get(uri);
  if (text === undefined) return undefined;
  const resource = JSON.parse(rename ? text.split(rename.from).join(rename.to) : text) as Json;
  const type = /^#([A-Za-z]+)\./.exec(String(resource['@odata.type']))?.[1];
  const repair = type === undefined ? undefined : REPAIRS[type];
  return repair ? repair(resource) : resource;
}

function readMockup(dir: string): Map<string, string> {
  const resources = new Map<string, string>();
  const walk = (folder: string, uri: string): void => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path, `${uri}/${entry}`);
      else if (entry === 'index.json') resources.set(uri, readFileSync(path, 'utf8'));
    }
  };
  walk(dir, '/redfish/v1');
  return resources;
}

/** `/redfish/v1/Systems/X/` → `/redfish/v1/Systems/X` (the mockup's root is `/redfish/v1/`). */
export function normalizeUri(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}
