/**
 * GET/HEAD /mirror/<image>/<path>: the partial Debian mirror `metalboot mirror <image>` built
 * (<cache>/mirrors/<image>, src/mirror/), for installs from an image with `local_mirror: true`.
 * Only the files the current generation's record lists are served (src/mirror/served.ts), through
 * the same answer as /assets (blob-answer.ts: ETag = sha256, Range, conditional headers, the
 * memory cache): pool files and by-hash indexes as immutable, the suite's Release files and
 * indexes at their plain paths with `no-cache` (they change when the mirror is rebuilt).
 * A rebuild swaps the generation; the next request sees it.
 */
import { join } from 'node:path';
import { currentGeneration } from '../../mirror/layout.js';
import { cacheRoot, mirrorDir } from '../../mirror/paths.js';
import { isMirrorPath, loadServedMirror } from '../../mirror/served.js';
import type { ServedMirror } from '../../mirror/served.js';
import { answerBlob, IMMUTABLE } from '../blob-answer.js';
import type { ServerContext } from '../context.js';
import { sendError } from '../respond.js';
import type { Route, RouteCall } from '../route.js';

const MIRROR_TARGET = /^\/mirror\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\/([^?#]*)/;

export const mirrorRoute: Route = { methods: ['GET', 'HEAD'], path: '/mirror/*', errors: 'text', handler: serveMirror };

/** Per server context: image → the loaded record of its current generation. */
const loaded = new WeakMap<ServerContext, Map<string, Promise<ServedMirror>>>();

async function serveMirror(call: RouteCall): Promise<void> {
  const { ctx } = call;
  const match = MIRROR_TARGET.exec(call.target);
  const image = match ? ctx.config.images[match[1]!] : undefined;
  const path = match ? decoded(match[2]!) : undefined;
  if (!image || image.type !== 'debian' || !Object.hasOwn(ctx.config.images, image.name) || path === undefined || !isMirrorPath(path)) return notFound(call);
  const mirror = await servedMirror(ctx, image.name);
  const file = mirror?.files.get(path);
  if (!mirror || !file) return notFound(call);
  const sent = await answerBlob(call, { sha256: file.sha256, file: join(mirror.generation, path), cacheControl: file.immutable ? IMMUTABLE : 'no-cache' });
  if (!sent) notFound(call);
}

/** The served files of the image's current mirror generation (reloaded when the symlink moves). */
async function servedMirror(ctx: ServerContext, image: string): Promise<ServedMirror | undefined> {
  const generation = await currentGeneration(mirrorDir(cacheRoot(ctx.stateDir), image)).catch(() => undefined);
  if (!generation) return undefined;
  let byImage = loaded.get(ctx);
  if (!byImage) loaded.set(ctx, (byImage = new Map()));
  let pending = byImage.get(image);
  if (!pending || (await pending.catch(() => undefined))?.generation !== generation) {
    const loading = loadServedMirror(generation);
    byImage.set(image, (pending = loading));
    loading.catch(() => byImage.get(image) === loading && byImage.delete(image));
  }
  return pending.catch(() => undefined);
}

function decoded(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function notFound(call: RouteCall): void {
  sendError(call.res, 404, 'not found', call.route.errors);
}
