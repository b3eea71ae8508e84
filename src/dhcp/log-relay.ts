/**
 * dnsmasq's log lines (it logs to stderr with `--log-facility=-`) relayed into metalboot's log, one
 * pino record each: `{ dnsmasq: 'dhcp' | 'tftp' | 'main' }` and the message. The per-option lines
 * of `log-dhcp` go to debug; failures to warn. Lines are bounded.
 */
import type { Logger } from 'pino';

const MAX_LINE = 1_000;
const LINE = /^dnsmasq(?:-(\w+))?(?:\[\d+\])?: (.*)$/;
const NOISE = /^\d+ (sent size:|requested options:|available DHCP (subnet|range):|client provides name:)/;
const TROUBLE = /\b(failed|error|cannot|illegal|unknown|bad|refused|no address range|not found|denied)\b/i;

export interface DnsmasqLine {
  readonly part: string;
  readonly message: string;
  readonly level: 'debug' | 'info' | 'warn';
}

/** Pure: what one line means. Lines not in dnsmasq's own format (e.g. startup errors) are warnings of the main part. */
export function parseDnsmasqLine(raw: string): DnsmasqLine | undefined {
  const line = printable(raw.slice(0, MAX_LINE)).trimEnd();
  if (!line.trim()) return undefined;
  const match = LINE.exec(line);
  if (!match) return { part: 'main', message: line.replace(/^dnsmasq: /, ''), level: 'warn' };
  const message = match[2]!;
  const level = NOISE.test(message) ? 'debug' : TROUBLE.test(message) ? 'warn' : 'info';
  return { part: match[1] ?? 'main', message, level };
}

function printable(text: string): string {
  return Array.from(text, (c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('');
}

export function relayDnsmasqLine(logger: Logger, raw: string): DnsmasqLine | undefined {
  const parsed = parseDnsmasqLine(raw);
  if (parsed) logger[parsed.level]({ dnsmasq: parsed.part }, parsed.message);
  return parsed;
}
