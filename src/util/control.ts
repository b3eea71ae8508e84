/**
 * Text from outside (a device's phone-home message and facts) made safe for a terminal and a log:
 * C0 control bytes except tab and newline, DEL and C1 controls (0x80–0x9f, e.g. the one-byte CSI)
 * are removed — so no escape sequence (`\x1b[2J` clears the screen), no carriage return that
 * overwrites a line. Newlines stay in stored text; single-line output flattens them (`oneLine`). Pure.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}

/** stripControl, and newlines and tabs as spaces: for one progress or timeline line. */
export function oneLine(text: string): string {
  return stripControl(text).replace(/[\t\n]+/g, ' ');
}

/** A JSON value with every string (keys included) stripped of control bytes. */
export function stripControlDeep(value: unknown): unknown {
  if (typeof value === 'string') return stripControl(value);
  if (Array.isArray(value)) return value.map(stripControlDeep);
  if (typeof value === 'object' && value !== null) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [key, inner] of Object.entries(value)) out[stripControl(key)] = stripControlDeep(inner);
    return out;
  }
  return value;
}
