/**
 * DMTF's Redfish JSON schemas, loaded once into one ajv instance by `$id`.
 * - DMTF's own keywords (longDescription, enumDescriptions, requiredOnCreate, …) are ignored
 *   (strict: false); their meta-schema is not published, so `$schema` is dropped.
 * - References to schemas not published here (Swordfish, a few old versions) are open (`{}`).
 * - A reference to another resource (an entity: `anyOf: [idRef, …every version…]`) is cut down to
 *   `idRef`: the simulator only ever serves links to other resources, never expanded ones, and
 *   compiling every version of every linked resource took ajv 99 s instead of 1.
 * - `readonly: true` is a keyword that fails only while a write (PATCH/POST body) is checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { redfishPart } from './paths.js';

export const SCHEMA_BASE = 'http://redfish.dmtf.org/schemas/v1/';
const ID_REF = `${SCHEMA_BASE}odata-v4.json#/definitions/idRef`;

type Json = Record<string, unknown>;

export interface SchemaStore {
  /** The validator of a schema reference (`<$id>#/definitions/X`), compiled on first use. */
  validator(ref: string): ValidateFunction | undefined;
  /** The raw (loaded) schema node a reference points at. */
  node(ref: string): Json | undefined;
  /** Runs `validate` with `readonly: true` enforced (a write body): returns ajv's errors. */
  checkWrite(validate: ValidateFunction, body: unknown): ErrorObject[];
  /** Runs `validate` as a read (a response body). */
  checkRead(validate: ValidateFunction, body: unknown): ErrorObject[];
}

let writing = false;
let cached: SchemaStore | undefined;

/** The store for ../shared/redfish/json-schema (or $METALBOOT_REDFISH_DIR), built once per process. */
export function loadSchemaStore(): SchemaStore {
  cached ??= buildStore(redfishPart('json-schema'));
  return cached;
}

function buildStore(dir: string): SchemaStore {
  const docs = new Map<string, Json>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
    if (typeof doc.$id === 'string') docs.set(doc.$id, doc);
  }
  const entities = entityRefs(docs);
  const missing = new Map<string, Set<string>>();
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: false });
  ajv.addKeyword({ keyword: 'readonly', schemaType: 'boolean', errors: false, validate: (readonly: boolean) => !(readonly && writing) });
  for (const doc of docs.values()) {
    const { $schema: _meta, $ref: _root, ...rest } = doc;
    ajv.addSchema(rewriteRefs(rest, entities, docs, missing) as Json);
  }
  for (const [id, names] of missing) {
    ajv.addSchema({ $id: id, definitions: Object.fromEntries([...names].map((name) => [name, {}])) });
  }
  const validators = new Map<string, ValidateFunction | undefined>();
  const run = (mode: boolean, validate: ValidateFunction, body: unknown): ErrorObject[] => {
    writing = mode;
    try {
      return validate(body) ? [] : [...(validate.errors ?? [])];
    } finally {
      writing = false;
    }
  };
  return {
    validator(ref) {
      if (!validators.has(ref)) validators.set(ref, this.node(ref) ? ajv.getSchema(ref) : undefined);
      return validators.get(ref);
    },
    node(ref) {
      const [id, pointer = ''] = ref.split('#');
      let node: unknown = docs.get(id!);
      for (const part of pointer.split('/').filter((p) => p !== '')) node = (node as Json | undefined)?.[part];
      return typeof node === 'object' && node !== null ? (node as Json) : undefined;
    },
    checkWrite: (validate, body) => run(true, validate, body),
    checkRead: (validate, body) => run(false, validate, body),
  };
}

/** `<$id>#/definitions/<name>` of every definition that is `anyOf` an idRef and the resource's versions. */
function entityRefs(docs: ReadonlyMap<string, Json>): Set<string> {
  const refs = new Set<string>();
  for (const [id, doc] of docs) {
    for (const [name, definition] of Object.entries((doc.definitions ?? {}) as Record<string, Json>)) {
      const anyOf = definition.anyOf;
      if (Array.isArray(anyOf) && anyOf.some((item: Json) => item.$ref === ID_REF)) refs.add(`${id}#/definitions/${name}`);
    }
  }
  return refs;
}

/** A copy with entity references cut to idRef; references to unpublished schemas are noted in `missing`. */
function rewriteRefs(node: unknown, entities: ReadonlySet<string>, docs: ReadonlyMap<string, Json>, missing: Map<string, Set<string>>): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, entities, docs, missing));
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      out[key] = entities.has(value) ? ID_REF : value;
      const [id, pointer = ''] = value.split('#');
      if (id && !docs.has(id)) {
        const name = /^\/definitions\/([^/]+)$/.exec(pointer)?.[1];
        missing.set(id, (missing.get(id) ?? new Set()).add(name ?? ''));
      }
    } else {
      out[key] = rewriteRefs(value, entities, docs, missing);
    }
  }
  return out;
}
