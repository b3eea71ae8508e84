/**
 * The HTTP application of `metalboot serve` (express 5, no listen: tests bind an ephemeral port).
 * Routes:
 *   GET/HEAD /assets/<sha256>/<name>         immutable blobs (assets.ts)
 *   GET      /boot.ipxe, /ipxe/<device>      iPXE scripts (scripts.ts)
 *   GET      /preseed/<device>.cfg?token=    /kickstart/<device>.ks?token=  (installer.ts)
 *   POST     /events/<device>?token=         phone-home; GET /api/devices/<device>/events; GET /api/events (SSE)
 *   PUT      /api/assets/<sha256>, /api/images/<name>   upload API, bearer METALBOOT_TOKEN (upload.ts)
 */
import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import { serveAsset } from './assets.js';
import { requireUploadToken } from './auth.js';
import type { AppDeps } from './context.js';
import { ServerContext } from './context.js';
import { deviceEventsHandler, eventStreamHandler, phoneHomeHandler } from './events-api.js';
import { installerHandler } from './installer.js';
import { requestLogger, requestMeta } from './logging.js';
import { chainScript, serveDeviceScript } from './scripts.js';
import { fastPath } from './fast-path.js';
import type { RequestListener } from './fast-path.js';
import { assetUploadHandler, manifestUploadHandler } from './upload.js';

export interface MetalbootApp {
  /** The express app (every route). */
  readonly app: Express;
  /** What a node http server should call: the boot-storm fast path in front of `app`. */
  readonly handler: RequestListener;
  readonly context: ServerContext;
}

export function createApp(deps: AppDeps): MetalbootApp {
  const ctx = new ServerContext(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);

  app.use(requestLogger(ctx.logger, ctx.trustForwardedFor));
  app.use((req, res, next) => {
    if (!serveAsset(ctx, req, res, next)) next();
  });
  app.get('/boot.ipxe', chainScript(ctx));
  app.get('/ipxe/:key', (req, res, next) => {
    serveDeviceScript(ctx, req, res, String(req.params.key)).catch(next);
  });
  app.get('/preseed/:file', installerHandler(ctx, 'preseed'));
  app.get('/kickstart/:file', installerHandler(ctx, 'kickstart'));
  app.post('/events/:device', express.text({ type: () => true, limit: '16kb' }), phoneHomeHandler(ctx));
  app.get('/api/devices/:device/events', deviceEventsHandler(ctx));
  app.get('/api/events', eventStreamHandler(ctx));
  const auth = requireUploadToken(ctx);
  app.put('/api/assets/:sha256', auth, assetUploadHandler(ctx));
  app.put('/api/images/:name', auth, express.text({ type: () => true, limit: '1mb' }), manifestUploadHandler(ctx));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').end('not found\n');
  });
  app.use((error: Error & { status?: number; type?: string; limit?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 600 ? error.status : 500;
    if (status >= 500) ctx.logger.error({ id: requestMeta(res).id, err: error.message }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message =
      status === 413 ? `the body is larger than the ${error.limit ?? '?'} bytes this endpoint accepts` : status >= 500 ? 'internal error (see the server log)' : error.message;
    res.status(status).json({ error: message });
  });
  return { app, handler: fastPath(ctx, app), context: ctx };
}
