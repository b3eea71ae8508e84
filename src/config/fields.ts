/**
 * Field readers used by normalizeConfig. Each takes the value and its path and either returns a
 * typed value or throws a ConfigError naming file:line, the field path, the value and what is valid.
 */
import { ConfigError } from '../errors.js';
import { trimBase } from '../util/url.js';
import { argumentProblem } from '../util/kernel-arg.js';

export interface Where {
  readonly file: string;
  /** 1-based line of a field path (e.g. ['devices','web-1','macs',1]) when known. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export type Path = readonly (string | number)[];

export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out || '(top level)';
}

export function show(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${String(value)} (${typeof value})`;
}

export function fail(where: Where, path: Path, message: string, hint?: string): never {
  const line = where.lineOf(path);
  const location = line === undefined ? where.file : `${where.file}:${line}`;
  throw new ConfigError(`${location}: ${formatPath(path)}: ${message}`, hint === undefined ? {} : { hint });
}

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readMapping(where: Where, path: Path, value: unknown): Mapping {
  if (!isMapping(value)) fail(where, path, `expected a mapping (key: value lines), got ${show(value)}`);
  return value;
}

/** Rejects keys not in `allowed`, suggesting the closest allowed key. */
export function checkKeys(where: Where, path: Path, map: Mapping, allowed: readonly string[]): void {
  for (const key of Object.keys(map)) {
    if (allowed.includes(key)) continue;
    const guess = closest(key, allowed);
    fail(
      where,
      [...path, key],
      `unknown field${guess ? `; did you mean "${guess}"?` : ''} Valid fields here: ${allowed.join(', ')}`,
    );
  }
}

export function readString(where: Where, path: Path, value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || value.trim() === '') fail(where, path, `expected a non-empty string, got ${show(value)}`);
  return value;
}

export function readOptionalString(where: Where, path: Path, value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : readString(where, path, value);
}

export function readInteger(where: Where, path: Path, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(where, path, `expected a whole number from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

export function readEnum<T extends string>(where: Where, path: Path, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(where, path, `expected one of ${allowed.join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

export function readStringList(where: Where, path: Path, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(where, path, `expected a list of strings, got ${show(value)}`);
  return value.map((item, index) => readString(where, [...path, index], item));
}

/**
 * Kernel arguments: a list of tokens, or one string split on spaces. Each must be one that iPXE can
 * carry to the kernel (src/util/kernel-arg.ts): checked here, where it enters, not when a device
 * asks for its script.
 */
export function readArgs(where: Where, path: Path, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/ +/).filter((token) => token !== '').map((arg) => checkArg(where, path, arg));
  if (!Array.isArray(value)) fail(where, path, `expected a list of kernel arguments or one string, got ${show(value)}`);
  return value.map((item, index) => {
    if (typeof item === 'number') return String(item);
    if (typeof item !== 'string' || item === '') fail(where, [...path, index], `expected a kernel argument string, got ${show(item)}`);
    return checkArg(where, [...path, index], item);
  });
}

function checkArg(where: Where, path: Path, arg: string): string {
  const problem = argumentProblem(arg);
  if (problem !== undefined) fail(where, path, `${show(arg)} cannot be passed to the kernel through iPXE: ${problem}`, 'fix or remove this argument');
  return arg;
}

/** Whether a command-line value looks like an http:// or https:// URL with a host. */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^/]/.test(text);
}

export function readHttpUrl(where: Where, path: Path, value: unknown): string {
  const text = readString(where, path, value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(where, path, `${show(text)} is not a URL; expected something like http://boot.example.net:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(where, path, `${show(text)} must be an http:// or https:// URL (iPXE fetches it)`);
  }
  return trimBase(text);
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function checkName(where: Where, path: Path, kind: string, name: string): void {
  if (!NAME.test(name)) {
    fail(
      where,
      path,
      `${show(name)} is not a valid ${kind} name; use 1–63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
}

function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}
