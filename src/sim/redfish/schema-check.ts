/**
 * Checks bodies against the DMTF schemas: a served resource (by its `@odata.type`), a PATCH body
 * (no `required`, `readonly` enforced), an action's parameters, a create (POST) body, an error body.
 * Each check returns readable problems and, for writes, the Redfish messages a service answers with.
 */
import type { ErrorObject } from 'ajv';
import type { ExtendedInfo } from './messages.js';
import { messageOf } from './messages.js';
import type { SchemaStore } from './schema-store.js';
import { SCHEMA_BASE } from './schema-store.js';

type Json = Record<string, unknown>;

export interface WriteCheck {
  /** Readable problems (empty: the body is valid). */
  readonly problems: readonly string[];
  /** What a Redfish service answers (400) for these problems. */
  readonly messages: readonly ExtendedInfo[];
}

/** The schema reference of a resource type: `#ComputerSystem.v1_27_0.ComputerSystem` → its definition. */
export function schemaRefOf(store: SchemaStore, odataType: string): string | undefined {
  const versioned = /^#([A-Za-z0-9]+)\.(v\d+_\d+_\d+)\.([A-Za-z0-9]+)$/.exec(odataType);
  if (versioned) return `${SCHEMA_BASE}${versioned[1]}.${versioned[2]}.json#/definitions/${versioned[3]}`;
  const plain = /^#([A-Za-z0-9]+)\.([A-Za-z0-9]+)$/.exec(odataType);
  if (!plain) return undefined;
  const ref = `${SCHEMA_BASE}${plain[1]}.json#/definitions/${plain[2]}`;
  const anyOf = store.node(ref)?.anyOf;
  if (!Array.isArray(anyOf)) return ref;
  const full = anyOf.findIndex((item: Json) => typeof item.$ref !== 'string' || !item.$ref.endsWith('odata-v4.json#/definitions/idRef'));
  return full < 0 ? ref : `${ref}/anyOf/${full}`;
}

/** Problems of a resource the simulator is about to serve. */
export function checkResource(store: SchemaStore, body: unknown): string[] {
  const type = typeof body === 'object' && body !== null ? (body as Json)['@odata.type'] : undefined;
  if (typeof type !== 'string') return ['the resource has no @odata.type'];
  const ref = schemaRefOf(store, type);
  const validate = ref === undefined ? undefined : store.validator(ref);
  if (!validate) return [`no DMTF schema for @odata.type ${type}`];
  const problems = store.checkRead(validate, body).map((error) => describe(error));
  const settings = (body as Json)['@Redfish.Settings'];
  if (settings !== undefined) problems.push(...checkAnnotation(store, settings, 'Settings.v1_4_0.json#/definitions/Settings', '@Redfish.Settings'));
  return problems;
}

/** A PATCH of a resource of this type: unknown, read-only and wrongly typed properties. */
export function checkPatch(store: SchemaStore, odataType: string, body: unknown): WriteCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: ['the PATCH body is not a JSON object'], messages: [messageOf('MalformedJSON')] };
  }
  const ref = schemaRefOf(store, odataType);
  const validate = ref === undefined ? undefined : store.validator(ref);
  if (!validate) return { problems: [`no DMTF schema for ${odataType}`], messages: [messageOf('InternalError')] };
  const errors = store.checkWrite(validate, body).filter((error) => error.keyword !== 'required');
  return fromErrors(errors, body);
}

/** A POST creating a member (e.g. a Session): read-only properties are allowed only when `requiredOnCreate`. */
export function checkCreate(store: SchemaStore, odataType: string, body: unknown): WriteCheck {
  const ref = schemaRefOf(store, odataType);
  const onCreate = ((ref === undefined ? undefined : store.node(ref))?.requiredOnCreate ?? []) as string[];
  const check = checkPatch(store, odataType, body);
  const missing = onCreate.filter((name) => typeof body !== 'object' || body === null || !(name in body));
  const errors = check.problems.filter((problem) => !onCreate.some((name) => problem.startsWith(`/${name} is read-only`)));
  const messages = check.messages.filter((message) => !(message.MessageId.endsWith('.PropertyNotWritable') && onCreate.includes(message.MessageArgs[0] ?? '')));
  return {
    problems: [...errors, ...missing.map((name) => `/${name} is required to create it`)],
    messages: [...messages, ...missing.map((name) => messageOf('PropertyMissing', [name], [`#/${name}`]))],
  };
}

/** An action body against the action's `parameters` (DMTF describes them outside JSON Schema). */
export function checkAction(store: SchemaStore, odataType: string, action: string, body: unknown): WriteCheck {
  const ref = schemaRefOf(store, odataType);
  const definition = ref === undefined ? undefined : store.node(`${ref.split('#')[0]}#/definitions/${action}`);
  const parameters = (definition?.parameters ?? {}) as Record<string, Json>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: [`the ${action} body is not a JSON object`], messages: [messageOf('MalformedJSON')] };
  }
  const problems: string[] = [];
  const messages: ExtendedInfo[] = [];
  for (const [name, value] of Object.entries(body)) {
    const parameter = parameters[name];
    if (!parameter) {
      problems.push(`"${name}" is not a parameter of ${action} (known: ${Object.keys(parameters).join(', ')})`);
      messages.push(messageOf('ActionParameterUnknown', [action, name]));
      continue;
    }
    const target = typeof parameter.$ref === 'string' ? parameter.$ref : undefined;
    const validate = target === undefined ? undefined : store.validator(target);
    const errors = validate ? store.checkRead(validate, value) : [];
    if (errors.length > 0) {
      problems.push(...errors.map((error) => describe(error, name)));
      messages.push(messageOf('ActionParameterNotSupported', [name, action]));
    }
  }
  for (const [name, parameter] of Object.entries(parameters)) {
    if (parameter.requiredParameter === true && !(name in body)) {
      problems.push(`${action} needs the parameter ${name}`);
      messages.push(messageOf('PropertyMissing', [name]));
    }
  }
  return { problems, messages };
}

/** Problems of an error body: the envelope, then each message against Message v1_3_0. */
export function checkError(store: SchemaStore, body: unknown): string[] {
  const error = typeof body === 'object' && body !== null ? (body as Json).error : undefined;
  if (typeof error !== 'object' || error === null) return ['an error answer needs an "error" object'];
  const { code, message } = error as Json;
  const problems: string[] = [];
  if (typeof code !== 'string' || typeof message !== 'string') problems.push('error.code and error.message must be strings');
  const info = (error as Json)['@Message.ExtendedInfo'];
  if (!Array.isArray(info)) return [...problems, 'error["@Message.ExtendedInfo"] must be a list of messages'];
  for (const item of info) problems.push(...checkAnnotation(store, item, 'Message.v1_3_0.json#/definitions/Message', 'error.@Message.ExtendedInfo'));
  return problems;
}

function checkAnnotation(store: SchemaStore, value: unknown, file: string, where: string): string[] {
  const validate = store.validator(`${SCHEMA_BASE}${file}`);
  if (!validate) return [`no DMTF schema ${file}`];
  return store.checkRead(validate, value).map((error) => `${where}${describe(error)}`);
}

/** `/Boot/BootSourceOverrideTarget must be equal to one of the allowed values (None, Pxe, …)`. */
function describe(error: ErrorObject, prefix = ''): string {
  const params = error.params as { allowedValues?: unknown[]; additionalProperty?: string; missingProperty?: string };
  const at = `${prefix}${error.instancePath}` || '(body)';
  if (error.keyword === 'readonly') return `${at} is read-only`;
  if (error.keyword === 'additionalProperties') return `${prefix}${error.instancePath}/${params.additionalProperty} is not a property of this resource`;
  const values = params.allowedValues ? ` (${params.allowedValues.join(', ')})` : '';
  return `${at} ${error.message ?? error.keyword}${values}`;
}

/** Turns write errors into problems and the one message per property a service answers with. */
function fromErrors(errors: readonly ErrorObject[], body: object): WriteCheck {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const path = error.keyword === 'additionalProperties'
      ? `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}`
      : error.instancePath;
    byPath.set(path, [...(byPath.get(path) ?? []), error]);
  }
  const messages: ExtendedInfo[] = [];
  for (const [path, found] of byPath) {
    if (path === '') continue;
    const name = path.split('/').filter(Boolean).join('/');
    const value = JSON.stringify(valueAt(body, path));
    const keywords = new Set(found.map((error) => error.keyword));
    const related = [`#${path}`];
    if (keywords.has('readonly')) messages.push(messageOf('PropertyNotWritable', [name], related));
    else if (keywords.has('additionalProperties')) messages.push(messageOf('PropertyUnknown', [name], related));
    else if (found.some((error) => error.keyword === 'type' && (error.params as { type?: unknown }).type !== 'null')) messages.push(messageOf('PropertyValueTypeError', [value, name], related));
    else if (keywords.has('enum')) messages.push(messageOf('PropertyValueNotInList', [value, name], related));
    else if (keywords.has('format') || keywords.has('pattern')) messages.push(messageOf('PropertyValueFormatError', [value, name], related));
    else messages.push(messageOf('PropertyValueTypeError', [value, name], related));
  }
  const problems = errors.filter((error) => error.keyword !== 'anyOf' || errors.length === 1).map((error) => describe(error));
  return { problems, messages };
}

function valueAt(body: unknown, path: string): unknown {
  let node = body;
  for (const part of path.split('/').filter(Boolean)) node = (node as Json | undefined)?.[part];
  return node;
}
