/** Shared by the hostile-client tests: a request from a chosen loopback address, and a captured server log. */
import { request } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** A request sent from `localAddress` (127.0.0.2 is another client than 127.0.0.1 on Linux loopback). */
export function requestFrom(url: string, options: { localAddress?: string; method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', localAddress: options.localAddress ?? '127.0.0.1', headers: options.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A pino logger whose lines land in `lines` (parsed JSON). */
export function capturedLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

export function tokenIn(script: string): string | undefined {
  return /[?&]token=([0-9a-f]{64})/.exec(script)?.[1];
}
