/**
 * A deliberately small template language for the files under ipxe/: `{{name}}` is replaced by
 * a value; a name without a value is an error (like Go's missingkey=error), never a blank. Pure.
 */
import { RenderError } from '../errors.js';

export function fillTemplate(template: string, values: Readonly<Record<string, string>>, templateName: string): string {
  return template.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new RenderError(`template ${templateName} uses {{${name}}}, which has no value`);
    return value;
  });
}
