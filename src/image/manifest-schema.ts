/**
 * The manifest's JSON Schema, checked with ajv wherever a manifest enters (the store, uploads).
 * Its enums come from the lists the TypeScript types are made of (ARCHES, IMAGE_TYPES,
 * COMPRESSIONS), and `JSONSchemaType<ImageManifest>` makes tsc compare schema and type.
 * Every field carries a `description` of what is valid; errors read
 * `<source>: manifest field <path> must be <description>`.
 */
import { Ajv } from 'ajv';
import type { ErrorObject, JSONSchemaType, ValidateFunction } from 'ajv';
import { ARCHES, IMAGE_TYPES } from '../config/types.js';
import type { Arch } from '../config/types.js';
import { MetalbootError } from '../errors.js';
import { COMPRESSIONS } from '../initrd/compression.js';
import type { AssetRef, ImageManifest, ManifestVariant } from './manifest.js';
import { MANIFEST_SCHEMA } from './manifest.js';
import { ASSET_NAME, SHA256_HEX } from './store/layout.js';

const IMAGE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const assetSchema: JSONSchemaType<AssetRef> = {
  type: 'object',
  description: 'an object with name, sha256 and size',
  required: ['name', 'sha256', 'size'],
  properties: {
    name: { type: 'string', pattern: ASSET_NAME.source, description: 'a plain file name' },
    sha256: { type: 'string', pattern: SHA256_HEX.source, description: '64 lower-case hex digits' },
    size: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'a byte count' },
  },
};

function variantSchema(arch: Arch): JSONSchemaType<ManifestVariant> {
  return {
    type: 'object',
    description: `the ${arch} variant (arch, kernel, initrd, compression, cmdline; disk for type disk)`,
    required: ['arch', 'kernel', 'initrd', 'compression', 'cmdline'],
    properties: {
      arch: { type: 'string', const: arch, description: arch } as JSONSchemaType<ManifestVariant>['properties']['arch'],
      kernel: assetSchema,
      initrd: assetSchema,
      compression: { type: 'string', enum: COMPRESSIONS, description: `one of ${COMPRESSIONS.join(', ')}` },
      cmdline: { type: 'array', items: { type: 'string', description: 'a string' }, description: 'a list of strings' },
      // optional, never null: the type says `disk?: AssetRef`, which JSONSchemaType would spell as nullable
      disk: { ...assetSchema, description: 'the disk image (type disk): an object with name, sha256 and size' } as unknown as JSONSchemaType<ManifestVariant>['properties']['disk'],
    },
  };
}

export const manifestSchema: JSONSchemaType<ImageManifest> = {
  type: 'object',
  description: 'an object',
  required: ['schema', 'name', 'type', 'installer', 'variants'],
  properties: {
    schema: { type: 'integer', const: MANIFEST_SCHEMA, description: String(MANIFEST_SCHEMA) },
    name: { type: 'string', pattern: IMAGE_NAME.source, description: 'an image name' },
    type: { type: 'string', enum: IMAGE_TYPES, description: `one of ${IMAGE_TYPES.join(', ')}` },
    installer: { type: 'boolean', description: 'true or false' },
    variants: {
      type: 'object',
      description: `an object keyed by architecture (${ARCHES.join(', ')}) with at least one variant`,
      required: [],
      minProperties: 1,
      additionalProperties: false,
      properties: Object.fromEntries(ARCHES.map((arch) => [arch, variantSchema(arch)])),
    } as unknown as JSONSchemaType<ImageManifest>['properties']['variants'],
  },
};

let compiled: ValidateFunction<ImageManifest> | undefined;

function validator(): ValidateFunction<ImageManifest> {
  compiled ??= new Ajv({ allErrors: false, verbose: true, strict: true }).compile(manifestSchema);
  return compiled;
}

/** Validates manifest JSON (from disk or an upload). Throws a MetalbootError naming the source and the field. */
export function parseManifest(text: string, source: string): ImageManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MetalbootError(`${source}: manifest is not JSON: ${(error as Error).message}`, { code: 'E_MANIFEST' });
  }
  const validate = validator();
  if (validate(data)) return data;
  throw new MetalbootError(`${source}: ${describeError(validate.errors?.[0])}`, { code: 'E_MANIFEST' });
}

interface SchemaNode {
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
}

/** `manifest field <path> must be <what the schema says is valid>`, for ajv's first error. */
export function describeError(error: ErrorObject | undefined): string {
  if (!error) return 'manifest is not valid';
  const at = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const parent = error.parentSchema as SchemaNode | undefined;
  const field = (path: readonly string[]): string => (path.length === 0 ? '(top)' : path.join('.'));
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return `manifest field ${field([...at, missing])} must be ${parent?.properties?.[missing]?.description ?? 'present'}`;
  }
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    return `manifest field ${field([...at, extra])} is not allowed: ${field(at)} must be ${parent?.description ?? 'valid'}`;
  }
  return `manifest field ${field(at)} must be ${parent?.description ?? error.message ?? 'valid'}`;
}
