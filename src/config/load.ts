/** Reads metalboot.yaml from disk and hands it to normalizeConfig with line information. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { ConfigError } from '../errors.js';
import type { Config } from './types.js';
import type { Path, Where } from './fields.js';
import { normalizeConfig } from './normalize.js';
import { checkDepth, isStackOverflow, toPlain, tooDeep } from './yaml-guard.js';

export async function loadConfig(file: string): Promise<Config> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `config file ${absolute} does not exist` : `cannot read config file ${absolute}: ${(error as Error).message}`,
      { hint: 'create metalboot.yaml (see the README), pass --config FILE, or set METALBOOT_CONFIG', cause: error },
    );
  }
  return parseConfig(text, absolute);
}

/** Parses and validates config text; `file` is used in messages and to resolve relative paths. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    if (error instanceof RangeError && isStackOverflow(error.message)) throw tooDeep(file, undefined);
    throw error;
  }
  const firstError = doc.errors[0];
  if (firstError && isStackOverflow(firstError.message)) throw tooDeep(file, firstError.linePos?.[0]?.line);
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: not valid YAML: ${firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  checkDepth(doc, lineCounter, file);
  const where: Where = {
    file,
    lineOf: (path) => lineOf(doc, lineCounter, path),
  };
  return normalizeConfig(toPlain(doc, lineCounter, file), where, dirname(file));
}

function lineOf(doc: Document, lineCounter: LineCounter, path: Path): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined = rangeLine(node, lineCounter);
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
      if (!pair) return line;
      line = rangeLine(pair.key, lineCounter) ?? line;
      node = pair.value;
      if (isScalar(node)) line = rangeLine(node, lineCounter) ?? line;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      line = rangeLine(node, lineCounter) ?? line;
    } else {
      return line;
    }
  }
  return line;
}

function rangeLine(node: unknown, lineCounter: LineCounter): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}
