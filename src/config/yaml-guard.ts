/**
 * Limits on metalboot.yaml as YAML, before its values are read: nesting depth (a deep document
 * overflows the parser's stack) and alias expansion (an alias bomb grows exponentially). Each
 * problem is a ConfigError naming file:line, never a stack trace.
 */
import { isMap, isPair, isSeq, visit } from 'yaml';
import type { Alias, Document, LineCounter } from 'yaml';
import { ConfigError } from '../errors.js';

/** Far deeper than any metalboot.yaml needs (it nests about 6 levels). */
export const MAX_DEPTH = 64;
/** Alias expansions toJS may perform (yaml's own guard counts them per anchor). */
export const MAX_ALIAS_COUNT = 100;

/** True for the error the parser reports when a deep document ran its stack out. */
export function isStackOverflow(message: string): boolean {
  return /Maximum call stack size exceeded/.test(message);
}

export function tooDeep(file: string, line: number | undefined): ConfigError {
  return new ConfigError(`${file}${line ? `:${line}` : ''}: nesting is deeper than ${MAX_DEPTH} levels`, {
    hint: 'metalboot.yaml needs only a few levels of mappings and lists; this is not a metalboot config',
  });
}

/** Throws when a collection sits more than MAX_DEPTH levels deep (iterative: safe on any depth). */
export function checkDepth(doc: Document, lineCounter: LineCounter, file: string): void {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_DEPTH) throw tooDeep(file, lineOf(node.range, lineCounter));
    for (const item of node.items as unknown[]) {
      if (isPair(item)) stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      else stack.push({ node: item, depth: depth + 1 });
    }
  }
}

/** doc.toJS() with the alias limit; an unresolved alias or a bomb names its line. */
export function toPlain(doc: Document, lineCounter: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const aliases: Alias[] = [];
    visit(doc, { Alias: (_key, node) => void aliases.push(node) });
    const unresolved = aliases.find((alias) => alias.resolve(doc) === undefined);
    if (unresolved) {
      throw new ConfigError(`${file}:${lineOf(unresolved.range, lineCounter) ?? '?'}: alias *${unresolved.source} names no anchor set before it`, {
        hint: `define &${unresolved.source} on an earlier value, or write the value out`,
      });
    }
    throw new ConfigError(`${file}:${lineOf(aliases[0]?.range, lineCounter) ?? '?'}: aliases expand to too many values (more than ${MAX_ALIAS_COUNT} uses): this looks like an alias bomb`, {
      hint: 'write repeated values out, or use fewer nested aliases',
    });
  }
}

function lineOf(range: readonly number[] | null | undefined, lineCounter: LineCounter): number | undefined {
  return range ? lineCounter.linePos(range[0]!).line : undefined;
}

