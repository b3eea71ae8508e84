/**
 * Boot tokens (src/boots/) travel in URLs (`?token=…` of a device's script, preseed and phone-home
 * URLs); this hides them in text shown to people: consoles, reports, call records.
 */

/** `…?token=abc` → `…?token=REDACTED`. */
export function redactTokens(text: string): string {
  return text.replace(/token=[^&\s]+/g, 'token=REDACTED');
}
