/**
 * `{{name}}` templates (the iPXE scripts under ipxe/, the installer answers under preseed/ and
 * kickstart/). Like Go's missingkey=error: a placeholder without a value fails the render, naming
 * the placeholder and the values that exist — never a blank. Pure.
 */
import { RenderError } from '../errors.js';

export function fillTemplate(template: string, values: Readonly<Record<string, string>>, source: string): string {
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_match, name: string) => {
    if (!Object.hasOwn(values, name)) {
      throw new RenderError(`${source}: template uses {{${name}}}, which has no value`, {
        hint: `available: ${Object.keys(values).sort().map((key) => `{{${key}}}`).join(' ')}`,
      });
    }
    return values[name]!;
  });
}
