/**
 * GET /boot.ipxe (the shared chain script) and GET /ipxe/<device|mac|uuid> (a device's own script),
 * rendered from the current config and the image manifest; the rendered bytes are cached per device
 * until the config or the manifest changes. Written against raw node request/response so the
 * server's fast path (fast-path.ts) can answer a boot storm without the express router.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config/types.js';
import { findDevice } from '../config/lookup.js';
import { MetalbootError } from '../errors.js';
import { renderChainScript } from '../ipxe/index.js';
import { renderScriptFor } from '../ipxe/for-device.js';
import type { ServerContext } from './context.js';
import { requestMeta } from './logging.js';

export function chainScript(ctx: ServerContext) {
  let cache: { config: Config; body: Buffer } | undefined;
  return function serveChain(_req: IncomingMessage, res: ServerResponse): void {
    const config = ctx.config;
    if (cache?.config !== config) cache = { config, body: Buffer.from(renderChainScript(config.server.publicUrl)) };
    sendScript(res, cache.body);
  };
}

export async function serveDeviceScript(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
  const config = ctx.config;
  const device = findDevice(config, key);
  const client = ctx.clientOf(req);
  if (!device) {
    ctx.logger.warn({ id: requestMeta(res).id, asked: key, client }, 'unknown device asked for its script');
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no device ${JSON.stringify(key)} is configured\n`);
    return;
  }
  let manifest;
  try {
    manifest = await ctx.manifests.get(ctx.stateDir, device.image);
  } catch (error) {
    if (!(error instanceof MetalbootError && error.code === 'E_NOT_BUILT')) throw error;
    ctx.logger.error({ id: requestMeta(res).id, device: device.name, err: error.message }, 'image not built');
    res.writeHead(503, { 'Content-Type': 'text/plain' }).end(`image ${device.image} of device ${device.name} has not been built\n`);
    return;
  }
  const baseUrl = config.server.publicUrl;
  let cached = ctx.scripts.get(device.name);
  if (!cached || cached.config !== config || cached.manifest !== manifest || cached.baseUrl !== baseUrl) {
    const text = renderScriptFor(config, device, manifest, { baseUrl, secret: ctx.secret });
    cached = { config, manifest, baseUrl, body: Buffer.from(text) };
    ctx.scripts.set(device.name, cached);
  }
  ctx.noteClient(client, device);
  sendScript(res, cached.body);
  if (req.method === 'GET') ctx.events.record({ device: device.name, kind: 'script', path: `/ipxe/${key}`, bytes: cached.body.length, client });
}

function sendScript(res: ServerResponse, body: Buffer): void {
  requestMeta(res).bytes = body.length;
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': body.length });
  res.end(body);
}
