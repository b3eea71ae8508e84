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
import { assetHandler } from './assets.js';
import { requireUploadToken } from './auth.js';
import type { AppDeps } from './context.js';
import { ServerContext } from './context.js';
import { deviceEventsHandler, eventStreamHandler, phoneHomeHandler } from './events-api.js';
import { installerHandler } from './installer.js';
import { requestLogger } from './logging.js';
import { chainHandler, deviceScriptHandler } from './scripts.js';
import { assetUploadHandler, manifestUploadHandler } from './upload.js';

export interface MetalbootApp {
  readonly app: Express;
  readonly context: ServerContext;
}

export function createApp(deps: AppDeps): MetalbootApp {
  const ctx = new ServerContext(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);

  app.use(requestLogger(ctx.logger));
  app.use(assetHandler(ctx));
  app.get('/boot.ipxe', chainHandler(ctx));
  app.get('/ipxe/:key', deviceScriptHandler(ctx));
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
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 600 ? error.status : 500;
    if (status >= 500) ctx.logger.error({ id: res.locals.requestId, err: error.message }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message =
      status === 413 ? `the body is larger than this endpoint accepts (${error.message})` : status >= 500 ? 'internal error (see the server log)' : error.message;
    res.status(status).json({ error: message });
  });
  return { app, context: ctx };
}
