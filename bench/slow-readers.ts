/**
 * Benchmark (issue 11, finding 10): memory and latency of `metalboot serve` under 1,000 slow readers
 * (half on a blob too large for the cache, half on cached blobs), cache thrash (distinct blobs
 * fetched whole, round-robin, more than the cache holds) and normal clients fetching a small cached
 * asset. Prints the server's peak RSS against the bound cache_mb + 150 MB and the normal clients'
 * p99 latency against 100 ms, each as a ratio (≤ 1 meets the goal).
 *
 * The server is a child process (`node --import tsx <repo>/src/cli/main.ts serve`) so its RSS is its
 * own; clients spread over 127.0.x.y source addresses, as devices on a LAN would.
 * Usage: tsx bench/slow-readers.ts [--repo DIR] [--readers 1000] [--seconds 20] [--cache-mb 64]
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    repo: { type: 'string', default: join(import.meta.dirname, '..') },
    readers: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    'cache-mb': { type: 'string', default: '64' },
    // internal: run only the normal clients against --port for --seconds, print latencies as JSON
    probe: { type: 'string' },
    port: { type: 'string' },
  },
});
const repo = resolve(values.repo);
const readers = Number(values.readers);
const seconds = Number(values.seconds);
const cacheMb = Number(values['cache-mb']);
const MB = 1024 * 1024;

function fetchWhole(agent: Agent, port: number, sha: string, localAddress: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: `/assets/${sha}/blob`, agent, localAddress }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(performance.now() - started));
      res.on('error', reject);
    }).on('error', reject);
  });
}

if (values.probe) {
  // The normal clients run in their own process, so the slow readers' work cannot delay them here.
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: 4 }, async (_, k) => {
    const agent = new Agent({ keepAlive: true });
    while (performance.now() < until) latencies.push(await fetchWhole(agent, Number(values.port), values.probe!, `127.3.0.${k + 1}`).catch(() => Number.NaN));
    agent.destroy();
  }));
  process.stdout.write(JSON.stringify(latencies));
  process.exit(0);
}

const work = await mkdtemp(join(tmpdir(), 'metalboot-slow-readers-'));
const stateDir = join(work, 'state');
await mkdir(join(stateDir, 'assets'), { recursive: true });

async function blob(size: number): Promise<string> {
  const data = randomBytes(size);
  const sha = createHash('sha256').update(data).digest('hex');
  await writeFile(join(stateDir, 'assets', sha), data);
  return sha;
}

const big = await blob(Math.round(cacheMb * 0.75) * MB); // larger than half the cache: streamed from disk
const thrash = await Promise.all(Array.from({ length: 12 }, () => blob(Math.round(cacheMb * 0.2) * MB))); // 12 × 0.2 = 2.4 caches
const small = await blob(100 * 1024);
const configFile = join(work, 'metalboot.yaml');
await writeFile(configFile, `server:\n  listen: 127.0.0.1:0\n  state_dir: ${stateDir}\n  cache_mb: ${cacheMb}\n`);

const server = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src/cli/main.ts'), 'serve', '--config', configFile, '--listen', '127.0.0.1:0'], {
  cwd: repo, env: { ...process.env, METALBOOT_SECRET: 'bench' }, stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
let port = 0;
for (let i = 0; i < 600 && !port; i++) {
  port = Number(/serving http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1] ?? 0);
  if (!port) await new Promise((r) => setTimeout(r, 50));
}
if (!port) throw new Error(`the server did not start:\n${stderr}`);

let peakRss = 0;
const sampler = setInterval(() => {
  void readFile(`/proc/${server.pid}/status`, 'utf8').then((text) => {
    peakRss = Math.max(peakRss, Number(/VmRSS:\s+(\d+)/.exec(text)?.[1] ?? 0) * 1024);
  }, () => undefined);
}, 100);

const address = (group: number, i: number): string => `127.${group}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
let stopping = false;

/** A reader that takes one socket read per second (about 64 KiB/s). */
function slowReader(i: number, sha: string): Socket {
  const socket = connect({ port, host: '127.0.0.1', localAddress: address(1, i) });
  socket.on('error', () => undefined);
  socket.write(`GET /assets/${sha}/blob HTTP/1.1\r\nHost: bench\r\n\r\n`);
  socket.pause();
  socket.on('data', () => socket.pause());
  const tick = setInterval(() => {
    if (stopping) return clearInterval(tick);
    socket.resume();
  }, 1000);
  socket.on('close', () => clearInterval(tick));
  return socket;
}

async function loop(body: (n: number) => Promise<void>): Promise<void> {
  for (let n = 0; !stopping; n++) await body(n).catch(() => undefined);
}

const slow: Socket[] = [];
for (let i = 0; i < readers; i++) {
  slow.push(slowReader(i, i % 2 === 0 ? big : thrash[i % thrash.length]!));
  if (i % 100 === 99) await new Promise((r) => setTimeout(r, 50));
}
const thrashAgents = Array.from({ length: 3 }, () => new Agent({ keepAlive: true }));
const loops = thrashAgents.map((agent, k) => loop(async (n) => void (await fetchWhole(agent, port, thrash[(n * 5 + k * 4) % thrash.length]!, address(2, k)))));
await new Promise((r) => setTimeout(r, 3000)); // let the readers' first requests settle before measuring
if (process.env.BENCH_DEBUG) console.log(`port ${port} pid ${server.pid} small ${small}`);
const probe = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--probe', small, '--port', String(port), '--seconds', String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
let probeOut = '';
probe.stdout.on('data', (chunk: Buffer) => (probeOut += chunk.toString()));
await new Promise((r) => probe.once('exit', r));
stopping = true;
await Promise.all(loops);
const latencies = (JSON.parse(probeOut || '[]') as number[]).filter((ms) => Number.isFinite(ms));
clearInterval(sampler);
for (const socket of slow) socket.destroy();
server.kill('SIGKILL');
await rm(work, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const p = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
const bound = (cacheMb + 150) * MB;
console.log(`repo ${repo}: ${readers} slow readers, cache_mb ${cacheMb}, ${seconds} s, ${latencies.length} normal requests`);
console.log(`server peak RSS ${(peakRss / MB).toFixed(0)} MB vs bound cache_mb + 150 = ${(bound / MB).toFixed(0)} MB: ratio ${(peakRss / bound).toFixed(2)}`);
console.log(`normal clients p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms vs goal 100 ms: ratio ${(p(0.99) / 100).toFixed(2)}`);
