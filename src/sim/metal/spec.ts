/**
 * The official Equinix Metal OpenAPI spec, loaded once: dereferenced with swagger-parser, its
 * reference cycles turned back into `$ref`s into `$defs` so ajv can compile it, and one validator
 * per (operation, part) compiled on first use and cached.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { MetalbootError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

type Json = Record<string, unknown>;

export interface SpecOperation {
  readonly method: string;
  /** Path template from the spec, e.g. /devices/{id}. */
  readonly path: string;
  readonly operation: Json;
}

export interface LoadedSpec {
  readonly paths: Json;
  validator(key: string, schema: () => unknown): ValidateFunction;
}

const SPEC = 'metal-openapi/oas3.fetched/openapi3.yaml';

/** $METALBOOT_METAL_SPEC, else <package root>/../shared/metal-openapi/oas3.fetched/openapi3.yaml (or one of the fallbacks). */
export function specPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.METALBOOT_METAL_SPEC;
  if (fromEnv) return resolve(fromEnv);
  const candidates = [
    resolve(PACKAGE_ROOT, '../shared', SPEC),
    resolve(PACKAGE_ROOT, 'shared', SPEC),
    resolve(process.cwd(), '../shared', SPEC),
    resolve(process.cwd(), SPEC),
  ];
  return candidates.find((file) => existsSync(file)) ?? candidates[0]!;
}

const cached = new Map<string, Promise<LoadedSpec>>();

/** The spec at `file` (default: specPath()), loaded once per file. */
export function loadSpec(file = specPath()): Promise<LoadedSpec> {
  let spec = cached.get(file);
  if (!spec) {
    spec = build(file);
    cached.set(file, spec);
  }
  return spec;
}

async function build(file: string): Promise<LoadedSpec> {
  if (!existsSync(file)) {
    throw new MetalbootError(`the Equinix Metal OpenAPI spec is not at ${file}`, {
      code: 'E_METAL_SPEC',
      hint: 'the simulator validates against ../shared/metal-openapi/oas3.fetched/openapi3.yaml; set METALBOOT_METAL_SPEC to its path',
    });
  }
  const api = (await SwaggerParser.dereference(file)) as unknown as Json;
  const defs: Json = {};
  const acyclic = decycle(api.paths, defs) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, discriminator: false });
  const addFormats = addFormatsImport as unknown as (ajv: Ajv) => void;
  addFormats(ajv);
  // OpenAPI formats ajv-formats does not know.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  // The spec says `format: string` on HardwareReservation.short_id: a no-op format.
  ajv.addFormat('string', { type: 'string', validate: () => true });
  ajv.addSchema({ $id: 'metal-defs', $defs: defs });
  const validators = new Map<string, ValidateFunction>();
  return {
    paths: acyclic,
    validator(key, schema) {
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.compile((schema() ?? {}) as Json);
        validators.set(key, validate);
      }
      return validate;
    },
  };
}

/** Copies a graph, replacing each object that closes a cycle by {$ref: 'metal-defs#/$defs/cN'}. */
function decycle(root: unknown, defs: Json): unknown {
  const names = new Map<object, string>();
  const onPath = new Set<object>();
  const targets = new Set<object>();
  const find = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (onPath.has(node)) {
      targets.add(node);
      return;
    }
    if (visited.has(node)) return;
    visited.add(node);
    onPath.add(node);
    for (const value of Object.values(node)) find(value);
    onPath.delete(node);
  };
  const visited = new Set<object>();
  find(root);
  const copy = (node: unknown, top: boolean): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    if (!top && targets.has(node)) {
      let name = names.get(node);
      if (!name) {
        name = `c${names.size}`;
        names.set(node, name);
        defs[name] = copy(node, true);
      }
      return { $ref: `metal-defs#/$defs/${name}` };
    }
    if (Array.isArray(node)) return node.map((item) => copy(item, false));
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) out[key] = copy(value, false);
    return out;
  };
  return copy(root, false);
}

export function formatErrors(where: string, errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const at = error.instancePath === '' ? where : `${where}${error.instancePath.replace(/\//g, '.')}`;
    const extra = error.keyword === 'enum' ? ` (${(error.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')})` : '';
    const additional = error.keyword === 'additionalProperties' ? ` "${String((error.params as { additionalProperty?: unknown }).additionalProperty)}"` : '';
    return `${at} ${error.message ?? error.keyword}${additional}${extra}`;
  });
}
