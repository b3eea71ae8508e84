/**
 * GET /ui/stream?device=: the dashboard's live feed, server-sent events for a logged-in session
 * (the browser's EventSource sends the cookie; /api/events takes a bearer token it cannot send).
 * Each message is one stored boot event as the pages show it — phase, detail with tokens hidden —
 * plus the device's status after it, so the devices page rewrites one row.
 */
import { formatSse } from '../events/sse.js';
import type { BootEvent } from '../events/types.js';
import type { RouteCall } from '../server/route.js';
import { queryValue } from '../server/route.js';
import { SECURITY_HEADERS } from './respond.js';
import { deviceIndex } from './device-index.js';
import { detailOf } from './pages/event-rows.js';
import { phaseOf } from './phases.js';

const HEARTBEAT_MS = 15_000;

export function liveMessage(event: BootEvent, status: unknown): string {
  const data = { id: event.id, device: event.device, time: event.time, kind: event.kind, phase: phaseOf(event) ?? null, detail: detailOf(event), status: status ?? null };
  return formatSse('boot', JSON.stringify(data), event.id);
}

/** `alive`: whether the session still exists; checked at every event and heartbeat, so a logout or expiry ends the stream. */
export function stream(call: RouteCall, alive: () => boolean): void {
  const { ctx, res } = call;
  const device = queryValue(call, 'device') || undefined;
  const index = deviceIndex(ctx.events);
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write(': metalboot dashboard\n\n');
  const unsubscribe = ctx.events.subscribe((event) => {
    if (!alive()) return void res.end();
    if (device === undefined || event.device === device) res.write(liveMessage(event, index.apply(event)));
  });
  const heartbeat = setInterval(() => (alive() ? res.write(': ping\n\n') : res.end()), HEARTBEAT_MS);
  ctx.streams.add(res);
  res.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    ctx.streams.delete(res);
  });
}
