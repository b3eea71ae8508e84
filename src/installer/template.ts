/**
 * `{{name}}` templates for installer answers. Like Go's missingkey=error: a placeholder without a
 * value fails the render, naming the placeholder and the values that exist. Pure.
 */
import { RenderError } from '../errors.js';

export function fillTemplate(template: string, values: Readonly<Record<string, string>>, source: string): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_match, name: string) => {
    if (!Object.hasOwn(values, name)) {
      throw new RenderError(`${source}: template uses {{${name}}}, which has no value`, {
        hint: `available: ${Object.keys(values).sort().map((key) => `{{${key}}}`).join(' ')}`,
      });
    }
    return values[name]!;
  });
}

/** A single-quoted POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Checks a value going into a one-line answer: no newlines (which would end the line early). */
export function oneLine(value: string, what: string, source: string): string {
  if (/[\r\n]/.test(value)) throw new RenderError(`${source}: ${what} must be a single line`);
  return value;
}
