/**
 * GET /api/events?device=&since=: boot events as server-sent events — the stored events after
 * `since` (or Last-Event-ID) first, then live ones, with a comment line every 15 s to keep proxies
 * from closing the stream. Open streams are ended when the server shuts down.
 */
import { findDevice } from '../../config/lookup.js';
import { formatSse } from '../../events/sse.js';
import type { EventQuery } from '../../events/store.js';
import type { Route, RouteCall } from '../route.js';
import { queryValue } from '../route.js';
import { parseSince } from './device-events.js';

const HEARTBEAT_MS = 15_000;

export const eventStreamRoute: Route = { methods: ['GET'], path: '/api/events', errors: 'json', auth: 'read', handler: eventStream };

function eventStream(call: RouteCall): void {
  const { ctx, req, res } = call;
  const lastId = req.headers['last-event-id'];
  const since = typeof lastId === 'string' && /^\d+$/.test(lastId) ? Number(lastId) : parseSince(queryValue(call, 'since'));
  const deviceKey = queryValue(call, 'device');
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
}
