/**
 * GET /boot.ipxe (the shared chain script) and GET /ipxe/<device|mac|uuid> (a device's own script),
 * rendered from the current config and the image manifest; rendered text is cached per device until
 * the config or the manifest changes.
 */
import type { Request, Response, NextFunction } from 'express';
import type { Config } from '../config/types.js';
import { findDevice } from '../config/lookup.js';
import { deviceToken } from '../config/device-token.js';
import { renderChainScript, renderDeviceScript } from '../ipxe/index.js';
import type { ServerContext } from './context.js';
import { clientAddress } from './logging.js';

export function chainHandler(ctx: ServerContext) {
  let cache: { config: Config; text: string } | undefined;
  return function serveChain(_req: Request, res: Response): void {
    const config = ctx.config;
    if (cache?.config !== config) cache = { config, text: renderChainScript(config.server.publicUrl) };
    sendScript(res, cache.text);
  };
}

export function deviceScriptHandler(ctx: ServerContext) {
  return async function serveDeviceScript(req: Request, res: Response, next: NextFunction): Promise<void> {
    const key = String(req.params.key);
    const config = ctx.config;
    const device = findDevice(config, key);
    const client = clientAddress(req);
    if (!device) {
      ctx.logger.warn({ id: res.locals.requestId, asked: key, client }, 'unknown device asked for its script');
      res.status(404).type('text/plain').end(`no device ${JSON.stringify(key)} is configured\n`);
      return;
    }
    const image = config.images[device.image];
    if (!image) return next(new Error(`device ${device.name} names unknown image ${device.image}`));
    let manifest;
    try {
      manifest = await ctx.manifests.get(ctx.stateDir, image.name);
    } catch (error) {
      ctx.logger.error({ id: res.locals.requestId, device: device.name, err: (error as Error).message }, 'image not built');
      res.status(503).type('text/plain').end(`image ${image.name} of device ${device.name} has not been built\n`);
      return;
    }
    const baseUrl = config.server.publicUrl;
    let cached = ctx.scripts.get(device.name);
    if (!cached || cached.config !== config || cached.manifest !== manifest || cached.baseUrl !== baseUrl) {
      const text = renderDeviceScript({ device, image, manifest, baseUrl, token: deviceToken(ctx.secret, device.name) });
      cached = { config, manifest, baseUrl, text };
      ctx.scripts.set(device.name, cached);
    }
    ctx.noteClient(client, device);
    const length = sendScript(res, cached.text);
    ctx.events.record({ device: device.name, kind: 'script', path: `/ipxe/${key}`, bytes: length, client });
  };
}

function sendScript(res: Response, text: string): number {
  const body = Buffer.from(text);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', String(body.length));
  res.locals.bytesSent = body.length;
  res.end(body);
  return body.length;
}
