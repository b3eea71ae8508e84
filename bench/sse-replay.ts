/**
 * Benchmark (issue 11, finding 12): /healthz latency while CLIENTS event-stream clients replay a
 * history of EVENTS boot events each (GET /api/events?since=0), against /healthz with nothing else
 * running (the reference, same run). Prints the latencies and their ratio, and how long the replays took.
 * Usage: tsx bench/sse-replay.ts [clients=500] [events=2240]
 * The server runs in a child process (createApp on a plain node http server, as `serve` mounts it),
 * so the clients' parsing does not share its event loop.
 */
import { fork } from 'node:child_process';
import { createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig } from '../src/config/load.js';
import { EventStore } from '../src/events/store.js';
import { createApp } from '../src/server/app.js';

const CLIENTS = Number(process.argv[2] ?? 500);
const EVENTS = Number(process.argv[3] ?? 2240);
const TOKEN = 'bench-token';

let cleanup = (): void => undefined;
/** Requests that failed (connection reset or refused), probes and replays. */
let errors = 0;
const base = process.argv[2] === '--server' ? await serve() : await spawnServer();

/** Child: the server with EVENTS stored events; prints its port, exits when stdin closes. */
async function serve(): Promise<never> {
  const events_ = Number(process.argv[3]);
  const clients_ = Number(process.argv[4]);
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-sse-bench-'));
  const config = parseConfig(`server:\n  listen: 127.0.0.1:0\n  state_dir: ${join(dir, 'state')}\nimages: {}\ndevices: {}\n`, join(dir, 'metalboot.yaml'));
  const events = new EventStore(':memory:');
  for (let i = 0; i < events_; i++) events.record({ device: `web-${i % 40}`, kind: 'script', path: `/ipxe/web-${i % 40}`, bytes: 4321, client: '10.0.0.1' });
  events.flush();
  // deps an older tree does not know are ignored there, so the same file measures before and after
  const boots = await import('../src/boots/store.js').then((m) => new m.BootStore(':memory:')).catch(() => undefined);
  const app = createApp({ config, secret: 's', events, logger: pino({ level: 'silent' }), uploadToken: TOKEN, maxStreamsPerToken: clients_ + 10, ...(boots ? { boots } : {}) } as Parameters<typeof createApp>[0]);
  const server = createServer(app.handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  process.send!((server.address() as AddressInfo).port);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}

async function spawnServer(): Promise<string> {
  const child = fork(fileURLToPath(import.meta.url), ['--server', String(EVENTS), String(CLIENTS)], { execArgv: ['--import', 'tsx'], stdio: ['pipe', 'inherit', 'inherit', 'ipc'] });
  process.once('exit', () => child.kill());
  const port = await new Promise<number>((resolve) => child.once('message', (message) => resolve(message as number)));
  cleanup = () => child.stdin?.end();
  return `http://127.0.0.1:${port}`;
}

function get(path: string): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    request(`${base}${path}`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    }).on('error', () => {
      errors++;
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
    }).end();
  });
}

async function probe(durationMs: number, everyMs: number, until?: () => boolean): Promise<number[]> {
  const out: number[] = [];
  const end = Date.now() + durationMs;
  while (Date.now() < end && !(until?.() ?? false)) {
    out.push(await get('/healthz'));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return out;
}

const pct = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN;

const idle = await probe(2_000, 20);
let finished = 0;
const started = Date.now();
const clients = Array.from({ length: CLIENTS }, () => new Promise<void>((resolve) => {
  const req = request(`${base}/api/events?since=0`, { agent: false, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
    let seen = 0;
    let tail = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const text = tail + chunk;
      seen += text.split('\nid: ').length - 1;
      tail = text.slice(-4);
      if (seen >= EVENTS) {
        finished++;
        req.destroy();
        resolve();
      }
    });
  });
  req.on('error', () => {
    if (finished < CLIENTS) errors++;
    resolve();
  });
  req.end();
}));
const during = await probe(120_000, 20, () => finished >= CLIENTS);
await Promise.race([Promise.all(clients), new Promise((resolve) => setTimeout(resolve, 5_000))]);
if (finished < CLIENTS) console.log(`only ${finished} of ${CLIENTS} replays completed`);
const replayMs = Date.now() - started;

const line = (name: string, values: number[]): string => `${name.padEnd(28)} n=${String(values.length).padStart(4)}  p50 ${pct(values, 0.5).toFixed(1).padStart(8)} ms  p99 ${pct(values, 0.99).toFixed(1).padStart(8)} ms  max ${Math.max(...values).toFixed(1).padStart(8)} ms`;
console.log(`SSE replay: ${CLIENTS} clients × ${EVENTS} events (node ${process.version})`);
console.log(line('/healthz, idle (reference)', idle));
console.log(line('/healthz, during replays', during.length ? during : [NaN]));
console.log(`failed requests (resets): ${errors}`);
console.log(`replays done in ${replayMs} ms; /healthz max during / idle p50 = ${(Math.max(...during) / pct(idle, 0.5)).toFixed(1)}x`);
cleanup();
process.exit(0);
