/**
 * A local Equinix Metal API (the device endpoints metalboot uses), for tests and `npm run demo`.
 * Every request and every response is checked against the official OpenAPI spec; a violation is
 * answered with HTTP 500 naming it and recorded (`violations()`) so the test that caused it fails.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { SimDevice, SimDeviceSeed } from './devices.js';
import { customIpxeRefusal, deviceJson } from './devices.js';
import type { FaultRule, SimOperation } from './faults.js';
import { FaultBox } from './faults.js';
import { loadSpec } from './spec.js';
import { validateRequest, validateResponse } from './validate.js';
import type { SimHooks, SimTimings } from './world.js';
import { DEFAULT_TIMINGS, SimWorld } from './world.js';
import { listDevicesPage } from './list.js';

export const SIM_BASE_PATH = '/metal/v1';

export interface MetalSimulatorOptions {
  readonly devices?: readonly SimDeviceSeed[];
  readonly faults?: readonly FaultRule[];
  readonly hooks?: SimHooks;
  /** The accepted X-Auth-Token (default: any non-empty token). */
  readonly token?: string;
  readonly projectId?: string;
  readonly timings?: Partial<SimTimings>;
}

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly body?: unknown;
  readonly status?: number;
}

export interface MetalSimulator {
  readonly app: express.Express;
  readonly projectId: string;
  readonly world: SimWorld;
  violations(): string[];
  requests(): SimRequest[];
  device(id: string): SimDevice | undefined;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Listens on 127.0.0.1 (port 0 = ephemeral); `apiUrl` is what METAL_API_URL should be. */
  listen(port?: number): Promise<{ apiUrl: string; server: Server }>;
  close(): Promise<void>;
}

interface Outcome {
  readonly status: number;
  readonly body?: unknown;
}

type Handler = (req: Request, device: SimDevice | undefined) => Outcome;

export function createMetalSimulator(options: MetalSimulatorOptions = {}): MetalSimulator {
  const projectId = options.projectId ?? randomUUID();
  const violations: string[] = [];
  const requests: SimRequest[] = [];
  const faults = new FaultBox(options.faults);
  const world = new SimWorld({ ...DEFAULT_TIMINGS, ...options.timings }, options.hooks ?? {}, (error) => {
    violations.push(`onBoot hook failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  for (const seed of options.devices ?? []) world.add(seed);
  const specReady = loadSpec();
  let server: Server | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  const route = (method: 'get' | 'put' | 'post' | 'delete', path: string, specPath: string, operation: SimOperation, handler: Handler) => {
    app[method](`${SIM_BASE_PATH}${path}`, (req: Request, res: Response, next: NextFunction) => {
      handle(req, res, specPath, operation, handler).catch(next);
    });
  };

  async function handle(req: Request, res: Response, specPath: string, operation: SimOperation, handler: Handler): Promise<void> {
    const spec = await specReady;
    const hasBody = req.body !== undefined && req.headers['content-length'] !== '0';
    const entry: { method: string; path: string; operation: string; body?: unknown; status?: number } = {
      method: req.method, path: req.originalUrl, operation, ...(hasBody ? { body: req.body as unknown } : {}),
    };
    requests.push(entry);
    const reply = (status: number, body: unknown, check: boolean): void => {
      entry.status = status;
      if (check) {
        const problems = validateResponse(spec, specPath, req.method, status, body);
        if (problems.length > 0) {
          violations.push(...problems.map((p) => `response to ${req.method} ${req.originalUrl}: ${p}`));
          res.status(500).json({ errors: problems.map((p) => `simulator response violates the spec: ${p}`) });
          return;
        }
      }
      if (body === undefined) res.status(status).end();
      else res.status(status).json(body);
    };
    const token = req.get('x-auth-token');
    if (!token || (options.token !== undefined && token !== options.token)) return reply(401, { error: 'Invalid authentication token' }, true);
    const problems = validateRequest(spec, specPath, req.method, {
      params: req.params as Record<string, string>, query: req.query as Record<string, unknown>, body: req.body as unknown, hasBody,
    });
    if (problems.length > 0) {
      violations.push(...problems.map((p) => `${req.method} ${req.originalUrl}: ${p}`));
      return reply(500, { errors: problems.map((p) => `request violates the Metal API spec: ${p}`) }, false);
    }
    const actionType = operation === 'action' ? String((req.body as { type?: unknown }).type) : undefined;
    const hits = faults.take(operation, actionType);
    for (const fault of hits.filter((f) => f.kind === 'slow')) await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1_000));
    const before = hits.find((f) => f.kind === 'status' || f.kind === 'drop');
    if (before?.kind === 'drop') return void req.socket.destroy();
    if (before) {
      if (before.retryAfter !== undefined) res.set('Retry-After', before.retryAfter);
      return reply(before.status ?? 500, { error: `simulated HTTP ${before.status ?? 500}` }, false);
    }
    const id = typeof req.params.id === 'string' ? req.params.id : undefined;
    const device = specPath.startsWith('/devices/') && id !== undefined ? world.devices.get(id) : undefined;
    if (specPath.startsWith('/devices/') && !device) return reply(404, { error: 'Not found' }, true);
    if (specPath.startsWith('/projects/') && id !== projectId) return reply(404, { error: 'Not found' }, true);
    const outcome = handler(req, device);
    const after = hits.find((f) => f.kind === 'after-effect');
    if (after && outcome.status < 300) {
      if (after.drop) return void req.socket.destroy();
      return reply(after.status ?? 500, { error: `simulated HTTP ${after.status ?? 500} after the call took effect` }, false);
    }
    reply(outcome.status, outcome.body, true);
  }

  route('get', '/projects/:id/devices', '/projects/{id}/devices', 'listDevices', (req) => ({
    status: 200,
    body: listDevicesPage([...world.devices.values()], req.query as Record<string, unknown>, projectId, `${SIM_BASE_PATH}/projects/${projectId}/devices`),
  }));

  route('post', '/projects/:id/devices', '/projects/{id}/devices', 'createDevice', (req) => {
    const body = req.body as { hostname?: string; plan: string; metro?: string; operating_system: string; always_pxe?: boolean; ipxe_script_url?: string; userdata?: string; tags?: string[] };
    const refusal = customIpxeRefusal(body.operating_system, body.ipxe_script_url, body.userdata);
    if (refusal) return { status: 422, body: { errors: [refusal] } };
    const device = world.create({
      hostname: body.hostname ?? `sim-${Math.random().toString(36).slice(2, 8)}`,
      plan: body.plan,
      ...(body.metro === undefined ? {} : { metro: body.metro }),
      operatingSystem: body.operating_system,
      ...(body.always_pxe === undefined ? {} : { alwaysPxe: body.always_pxe }),
      ...(body.ipxe_script_url === undefined ? {} : { ipxeScriptUrl: body.ipxe_script_url }),
      ...(body.userdata === undefined ? {} : { userdata: body.userdata }),
      ...(body.tags === undefined ? {} : { tags: body.tags }),
    });
    return { status: 201, body: deviceJson(device, projectId) };
  });

  route('get', '/devices/:id', '/devices/{id}', 'getDevice', (_req, device) => ({ status: 200, body: deviceJson(device!, projectId) }));

  route('put', '/devices/:id', '/devices/{id}', 'updateDevice', (req, device) => {
    const d = device!;
    const body = req.body as { always_pxe?: boolean; ipxe_script_url?: string; userdata?: string; hostname?: string; tags?: string[] };
    if (body.always_pxe !== undefined) d.alwaysPxe = body.always_pxe;
    if (body.ipxe_script_url !== undefined) d.ipxeScriptUrl = body.ipxe_script_url;
    if (body.userdata !== undefined) d.userdata = body.userdata;
    if (body.hostname !== undefined) d.hostname = body.hostname;
    if (body.tags !== undefined) d.tags = [...body.tags];
    world.touch(d);
    return { status: 200, body: deviceJson(d, projectId) };
  });

  route('delete', '/devices/:id', '/devices/{id}', 'deleteDevice', (_req, device) => {
    world.devices.delete(device!.id);
    return { status: 204 };
  });

  route('post', '/devices/:id/actions', '/devices/{id}/actions', 'action', (req, device) => {
    const action = req.body as { type: string; operating_system?: string; ipxe_script_url?: string };
    const refusal = world.refuse(device!, action);
    if (refusal) return { status: 422, body: { errors: [refusal] } };
    world.apply(device!, action);
    return { status: 202 };
  });

  app.use((req: Request, res: Response) => {
    violations.push(`${req.method} ${req.originalUrl}: not an endpoint metalboot should call (the simulator implements the device calls only)`);
    res.status(404).json({ error: 'Not found' });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const message = error instanceof Error ? error.message : String(error);
    violations.push(`${req.method} ${req.originalUrl}: request could not be parsed: ${message}`);
    res.status(400).json({ error: message });
  });

  return {
    app,
    projectId,
    world,
    violations: () => [...violations],
    requests: () => requests.map((r) => ({ ...r })),
    device: (id) => world.devices.get(id),
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    async listen(port = 0) {
      await specReady;
      const listening = app.listen(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        listening.once('listening', () => resolve());
        listening.once('error', reject);
      });
      server = listening;
      const address = listening.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return { apiUrl: `http://127.0.0.1:${actual}${SIM_BASE_PATH}`, server: listening };
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
