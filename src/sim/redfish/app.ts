/**
 * A local Redfish service modelled on DMTF's public-rackmount1 mockup, for tests, demos and phase 2
 * (systems backed by QEMU VMs through the `onReset` hook). Every request body and every answer is
 * checked against DMTF's JSON schemas; an answer that breaks them becomes a 500 and a violation.
 */
import type { Server } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Reply, SimContext } from './context.js';
import { fail } from './context.js';
import type { FaultRule } from './faults.js';
import { FaultBox } from './faults.js';
import { normalizeUri } from './mockup.js';
import type { Quirks } from './profiles.js';
import { DEFAULT_QUIRKS } from './profiles.js';
import { checkError, checkResource } from './schema-check.js';
import { loadSchemaStore } from './schema-store.js';
import type { SimUser } from './sessions.js';
import { SessionStore } from './sessions.js';
import { TaskStore } from './tasks.js';
import { dispatch, operationOf } from './dispatch.js';
import { warmUp } from './read.js';
import type { RedfishSimHooks, SimSystemSeed, SimTimings } from './world.js';
import { SimWorld } from './world.js';
import { listenOn } from './listen.js';
import type { ListenOptions } from './listen.js';

export interface RedfishSimulatorOptions {
  readonly systems?: readonly SimSystemSeed[];
  readonly quirks?: Partial<Quirks>;
  readonly faults?: readonly FaultRule[];
  readonly hooks?: RedfishSimHooks;
  readonly users?: readonly SimUser[];
  readonly sessionTimeoutS?: number;
  readonly timings?: Partial<SimTimings>;
}

/** One request as the simulator saw it (the password of a login is never kept). */
export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly auth: 'session' | 'basic' | 'none';
  readonly ifMatch?: string;
  readonly body?: unknown;
  readonly status?: number;
  /** Milliseconds since the simulator was created, when the request arrived and when it was answered. */
  readonly atMs: number;
  readonly doneMs?: number;
}

export interface RedfishSimulator {
  readonly app: express.Express;
  readonly world: SimWorld;
  readonly context: SimContext;
  violations(): string[];
  requests(): SimRequest[];
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  listen(options?: ListenOptions): Promise<{ url: string; server: Server }>;
  close(): Promise<void>;
}

const PUBLIC = new Set(['GET /redfish', 'GET /redfish/v1', 'POST /redfish/v1/SessionService/Sessions']);

export function createRedfishSimulator(options: RedfishSimulatorOptions = {}): RedfishSimulator {
  const started = Date.now();
  const violations: string[] = [];
  const requests: (SimRequest & { status?: number; doneMs?: number })[] = [];
  const world = new SimWorld({ powerMs: 1_000, ...options.timings }, options.hooks ?? {}, (error) => {
    violations.push(`onReset hook failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  (options.systems && options.systems.length > 0 ? options.systems : [{}]).forEach((seed, index) => world.add(seed, index));
  const context: SimContext = {
    world,
    sessions: new SessionStore(options.users ?? [{ username: 'admin', password: 'password' }], options.sessionTimeoutS ?? 1_800),
    tasks: new TaskStore(),
    quirks: { ...DEFAULT_QUIRKS, ...options.quirks },
    store: loadSchemaStore(),
    faults: new FaultBox(options.faults),
    violations,
  };
  let server: Server | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(express.json({ limit: '64kb', type: () => true }));

  app.all(/^\/redfish(\/.*)?$/, (req: Request, res: Response, next: NextFunction) => {
    handle(req, res).catch(next);
  });

  async function handle(req: Request, res: Response): Promise<void> {
    const path = normalizeUri(req.path);
    const auth = authenticate(req);
    const hasBody = req.body !== undefined && Number(req.headers['content-length'] ?? 0) > 0;
    const entry: SimRequest & { status?: number; doneMs?: number } = {
      method: req.method, path, auth: auth === 'refused' ? 'none' : auth, atMs: Date.now() - started,
      ...(req.get('if-match') === undefined ? {} : { ifMatch: req.get('if-match')! }),
      ...(hasBody ? { body: redact(req.body as unknown) } : {}),
    };
    requests.push(entry);
    const send = (reply: Reply): void => {
      const checked = checkReply(reply);
      entry.status = checked.status;
      entry.doneMs = Date.now() - started;
      for (const [name, value] of Object.entries(checked.headers ?? {})) res.set(name, value);
      if (checked.body === undefined) res.status(checked.status).end();
      else res.status(checked.status).type('application/json').send(JSON.stringify(checked.body));
    };
    if (auth === 'refused' && !PUBLIC.has(`${req.method} ${path}`)) {
      return send(fail(401, 'NoValidSession', [], { 'WWW-Authenticate': 'Basic realm="Redfish simulator"' }));
    }
    const hits = context.faults.take(operationOf(req.method, path));
    for (const fault of hits.filter((f) => f.kind === 'delay')) await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1_000));
    if (hits.some((f) => f.kind === 'drop')) return void req.socket.destroy();
    const before = hits.find((f) => f.kind === 'status' || f.kind === 'post');
    if (before?.kind === 'post') return send(fail(400, 'UnableToModifyDuringSystemPOST', ['Boot']));
    if (before) return send(fail(before.status ?? 500, 'InternalError'));
    const reply = dispatch(context, req.method, path, hasBody ? (req.body as unknown) : undefined, req.get('if-match'), req.get('x-auth-token'));
    const after = hits.find((f) => f.kind === 'after-effect');
    if (after && reply.status < 300) return send(fail(after.status ?? 500, 'InternalError'));
    send(reply);
  }

  function authenticate(req: Request): 'session' | 'basic' | 'refused' {
    const token = req.get('x-auth-token');
    if (token && context.sessions.byToken(token)) return 'session';
    const basic = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (basic) {
      const [username, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      if (context.sessions.userFor(username, rest.join(':'))) return 'basic';
    }
    return 'refused';
  }

  /** The answer if it is schema-valid; else a 500 and a violation. */
  function checkReply(reply: Reply): Reply {
    if (reply.body === undefined || (reply.body as { v1?: unknown }).v1 !== undefined) return reply;
    const isError = (reply.body as { error?: unknown }).error !== undefined;
    const problems = isError ? checkError(context.store, reply.body) : checkResource(context.store, reply.body);
    if (problems.length === 0) return reply;
    violations.push(...problems.map((problem) => `answer ${reply.status}: ${problem}`));
    return fail(500, 'InternalError');
  }

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const malformed = (error as { type?: string }).type === 'entity.parse.failed';
    if (!malformed) violations.push(`${req.method} ${req.originalUrl}: ${error instanceof Error ? error.message : String(error)}`);
    res.status(malformed ? 400 : 500).json(malformed ? fail(400, 'MalformedJSON').body : fail(500, 'InternalError').body);
  });

  return {
    app,
    world,
    context,
    violations: () => [...violations],
    requests: () => requests.map((r) => ({ ...r })),
    addFault: (rule) => context.faults.add(rule),
    clearFaults: () => context.faults.clear(),
    async listen(listenOptions = {}) {
      warmUp(context);
      const listening = await listenOn(app, listenOptions);
      server = listening.server;
      return listening;
    },
    async close() {
      world.close();
      if (!server) return;
      const closing = server;
      server = undefined;
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}

/** A login body without its password. */
function redact(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('Password' in body)) return body;
  return { ...body, Password: '<redacted>' };
}
