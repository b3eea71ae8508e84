/**
 * POST /events/<device>?token=…   installer/OS phone-home: JSON {state, message} or a form body
 * GET  /api/devices/<device>/events  the stored timeline (JSON array)
 * GET  /api/events?device=&since=    server-sent events: stored events after `since` (or Last-Event-ID), then live
 */
import type { Request, Response } from 'express';
import { checkDeviceToken } from '../config/device-token.js';
import { findDevice } from '../config/lookup.js';
import type { EventQuery } from '../events/store.js';
import { formatSse } from '../events/sse.js';
import type { PhoneHomeState } from '../events/types.js';
import type { ServerContext } from './context.js';

const STATES: readonly PhoneHomeState[] = ['running', 'succeeded', 'failed'];
const HEARTBEAT_MS = 15_000;

export function phoneHomeHandler(ctx: ServerContext) {
  return function phoneHome(req: Request, res: Response): void {
    const name = String(req.params.device);
    const device = Object.hasOwn(ctx.config.devices, name) ? ctx.config.devices[name] : undefined;
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!device || !checkDeviceToken(ctx.secret, device.name, token)) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const body = parseBody(typeof req.body === 'string' ? req.body : '');
    if (!body || !STATES.includes(body.state as PhoneHomeState)) {
      res.status(422).json({ error: 'body must be JSON {"state": "running"|"succeeded"|"failed", "message": "…"} (or the same as a form)' });
      return;
    }
    const message = typeof body.message === 'string' ? body.message.slice(0, 2000) : undefined;
    const event = ctx.events.recordNow({ device: device.name, kind: 'phone-home', state: body.state as PhoneHomeState, message, client: ctx.clientOf(req) });
    res.status(201).json({ id: event.id });
  };
}

function parseBody(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(trimmed));
}

export function deviceEventsHandler(ctx: ServerContext) {
  return function deviceEvents(req: Request, res: Response): void {
    const key = String(req.params.device);
    const name = findDevice(ctx.config, key)?.name ?? key;
    res.setHeader('Cache-Control', 'no-store');
    res.json(ctx.events.list({ device: name, since: parseSince(req.query.since) }));
  };
}

export function eventStreamHandler(ctx: ServerContext) {
  return function eventStream(req: Request, res: Response): void {
    const lastId = req.headers['last-event-id'];
    const since = typeof lastId === 'string' && /^\d+$/.test(lastId) ? Number(lastId) : parseSince(req.query.since);
    const deviceKey = typeof req.query.device === 'string' ? req.query.device : undefined;
    const device = deviceKey === undefined ? undefined : (findDevice(ctx.config, deviceKey)?.name ?? deviceKey);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': metalboot events\n\n');
    // list() flushes queued events synchronously, and we subscribe in the same turn: no gap, no repeat.
    const query: EventQuery = { device, since };
    const history = since === undefined ? [] : ctx.events.list(query);
    for (const event of history) res.write(formatSse('boot', JSON.stringify(event), event.id));
    const unsubscribe = ctx.events.subscribe((event) => {
      if (device === undefined || event.device === device) res.write(formatSse('boot', JSON.stringify(event), event.id));
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    ctx.streams.add(res);
    res.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      ctx.streams.delete(res);
    });
  };
}

function parseSince(value: unknown): number | string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}
