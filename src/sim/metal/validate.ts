/**
 * Checks one request or response of the simulator against the operation in the official spec.
 * Beyond the schemas, the simulator is strict where the real API is silently lenient: an unknown
 * query parameter or body field is reported, because the real API would ignore it and the bug
 * (e.g. `macAddress` for `mac_address`) would go unnoticed.
 */
import type { LoadedSpec } from './spec.js';
import { formatErrors } from './spec.js';

type Json = Record<string, unknown>;

export interface RequestParts {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  readonly hasBody: boolean;
}

function operationOf(spec: LoadedSpec, path: string, method: string): Json {
  const item = spec.paths[path] as Json | undefined;
  const operation = item?.[method.toLowerCase()] as Json | undefined;
  if (!operation) throw new Error(`the spec has no ${method} ${path}`);
  return operation;
}

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: Json;
  readonly explode?: boolean;
}

export function validateRequest(spec: LoadedSpec, path: string, method: string, parts: RequestParts): string[] {
  const operation = operationOf(spec, path, method);
  const id = String(operation.operationId ?? `${method} ${path}`);
  const problems: string[] = [];
  const parameters = (operation.parameters ?? []) as Parameter[];
  for (const [index, parameter] of parameters.entries()) {
    const source = parameter.in === 'path' ? parts.params : parameter.in === 'query' ? parts.query : undefined;
    if (!source) continue;
    const raw = source[parameter.name];
    if (raw === undefined) {
      if (parameter.required) problems.push(`${id}: required ${parameter.in} parameter "${parameter.name}" is missing`);
      continue;
    }
    const value = coerce(raw, parameter.schema ?? {});
    const validate = spec.validator(`${id}:param:${index}`, () => parameter.schema ?? {});
    if (!validate(value)) problems.push(...formatErrors(`${id}: ${parameter.in} parameter ${parameter.name}`, validate.errors));
  }
  const known = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of Object.keys(parts.query)) {
    if (!known.has(name)) problems.push(`${id}: "${name}" is not a query parameter of this operation (known: ${[...known].join(', ')})`);
  }
  const requestBody = operation.requestBody as Json | undefined;
  const schema = ((requestBody?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
  if (!schema) {
    if (parts.hasBody) problems.push(`${id}: this operation takes no request body`);
    return problems;
  }
  if (!parts.hasBody) {
    if (requestBody?.required) problems.push(`${id}: the request body is required`);
    return problems;
  }
  const validate = spec.validator(`${id}:body`, () => schema);
  if (!validate(parts.body)) problems.push(...formatErrors(`${id}: request body`, validate.errors));
  if (typeof parts.body === 'object' && parts.body !== null && !Array.isArray(parts.body)) {
    const allowed = propertyNames(schema);
    for (const key of Object.keys(parts.body)) {
      if (!allowed.has(key)) problems.push(`${id}: request body field "${key}" is not in the spec (the real API would ignore it)`);
    }
  }
  return problems;
}

export function validateResponse(spec: LoadedSpec, path: string, method: string, status: number, body: unknown): string[] {
  const operation = operationOf(spec, path, method);
  const id = String(operation.operationId ?? `${method} ${path}`);
  const responses = (operation.responses ?? {}) as Json;
  const response = (responses[String(status)] ?? responses.default) as Json | undefined;
  if (!response) return [`${id}: HTTP ${status} is not a response the spec documents (${Object.keys(responses).join(', ')})`];
  const schema = ((response.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
  if (schema === undefined) {
    return body === undefined ? [] : [`${id}: HTTP ${status} has no content in the spec, but a body was sent`];
  }
  const validate = spec.validator(`${id}:response:${status}`, () => schema);
  return validate(body) ? [] : formatErrors(`${id}: response ${status} body`, validate.errors);
}

/** Query strings arrive as text: turn them into what the parameter schema describes. */
function coerce(raw: unknown, schema: Json): unknown {
  if (Array.isArray(raw)) return schema.type === 'array' ? raw.map((item) => coerce(item, (schema.items ?? {}) as Json)) : raw;
  if (typeof raw !== 'string') return raw;
  if (schema.type === 'integer' || schema.type === 'number') return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (schema.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (schema.type === 'array') return raw.split(',').map((item) => coerce(item, (schema.items ?? {}) as Json));
  return raw;
}

/** Every property name a body may have, across allOf/oneOf/anyOf. */
function propertyNames(schema: Json, into = new Set<string>()): Set<string> {
  for (const key of Object.keys((schema.properties ?? {}) as Json)) into.add(key);
  for (const combinator of ['allOf', 'oneOf', 'anyOf']) {
    for (const part of (schema[combinator] ?? []) as Json[]) propertyNames(part, into);
  }
  return into;
}
