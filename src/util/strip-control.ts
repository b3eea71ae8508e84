/**
 * Text from outside (a device's events, its facts) made safe to print on a terminal: control
 * characters (C0 but tab and newline, DEL, C1, which carry escape sequences) are removed. Pure.
 */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
