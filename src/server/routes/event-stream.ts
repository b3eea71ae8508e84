/**
 * GET /api/events?device=&since=: boot events as server-sent events — the stored events after
 * `since` (or Last-Event-ID) first, then live ones, with a comment line every 15 s to keep proxies
 * from closing the stream. Open streams are ended when the server shuts down.
 *
 * The replay goes through the server's replay scheduler (../replay.ts: a bounded number of events
 * per event-loop turn over all streams, waiting for 'drain' when a client reads slowly), so a long
 * history never blocks other requests; live events that arrive meanwhile are held and sent after
 * it, in order, without repeats. Live streams are capped per bearer token (429 past the cap).
 */
import { findDevice } from '../../config/lookup.js';
import { formatSse } from '../../events/sse.js';
import type { BootEvent } from '../../events/types.js';
import { sendError } from '../respond.js';
import type { Route, RouteCall } from '../route.js';
import { queryValue } from '../route.js';
import { parseSince } from './device-events.js';

const HEARTBEAT_MS = 15_000;

export const eventStreamRoute: Route = { methods: ['GET'], path: '/api/events', errors: 'json', auth: 'read', handler: eventStream };

function eventStream(call: RouteCall): void {
  const { ctx, req, res } = call;
  const key = req.headers.authorization ?? '';
  const open = ctx.streamsByToken.get(key) ?? 0;
  if (open >= ctx.maxStreamsPerToken) {
    return sendError(res, 429, `too many open event streams for this token (${open}, the most is ${ctx.maxStreamsPerToken}): close one, or follow one device per stream with ?device=`, call.route.errors, { 'Retry-After': '10' });
  }
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
  ctx.streamsByToken.set(key, open + 1);
  ctx.streams.add(res);

  // Live events are held while the history is replayed; `sent` is the last id written.
  let held: BootEvent[] | undefined = since === undefined ? undefined : [];
  let sent = 0;
  const send = (event: BootEvent): void => {
    if (event.id <= sent) return;
    sent = event.id;
    res.write(formatSse('boot', JSON.stringify(event), event.id));
  };
  const unsubscribe = ctx.events.subscribe((event) => {
    if (device !== undefined && event.device !== device) return;
    if (held) held.push(event);
    else send(event);
  });
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  res.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    ctx.streams.delete(res);
    const left = (ctx.streamsByToken.get(key) ?? 1) - 1;
    if (left > 0) ctx.streamsByToken.set(key, left);
    else ctx.streamsByToken.delete(key);
  });
  if (since === undefined) return;
  ctx.replays.add({
    res, device, since, send,
    done: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const event of waiting) send(event);
    },
  });
}
