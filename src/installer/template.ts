/** Quoting helpers for installer answers (the templates are filled by src/util/template.ts). Pure. */
import { RenderError } from '../errors.js';

/** A single-quoted POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Checks a value going into a one-line answer: no newlines (which would end the line early). */
export function oneLine(value: string, what: string, source: string): string {
  if (/[\r\n]/.test(value)) throw new RenderError(`${source}: ${what} must be a single line`);
  return value;
}
