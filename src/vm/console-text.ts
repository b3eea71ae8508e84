/** Pure helpers for serial console logs: readable text and the tail shown on failure. */

// CSI (ESC [ … final), OSC (ESC ] … BEL/ST), charset selection and other two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHM]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** Console log as plain text: terminal escapes and stray control bytes removed, CRLF → LF. */
export function consoleText(raw: string): string {
  return raw.replace(ESCAPES, '').replace(/\r+\n/g, '\n').replace(/\r/g, '\n').replace(CONTROL, '');
}

/** The last `count` non-empty lines of a console text. */
export function lastLines(text: string, count = 40): string[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-count);
}
