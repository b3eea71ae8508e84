/**
 * The HTTP application of `metalboot serve`, without listening (start.ts listens; tests bind an
 * ephemeral port): the shared context and the one request listener built from the route table
 * (route-table.ts; docs/serve.md lists the routes). `startServer` listens with exactly this
 * `handler`, and so does every test that mounts the app.
 */
import type { AppDeps } from './context.js';
import { ServerContext } from './context.js';
import type { Route } from './route.js';
import { ROUTES } from './route-table.js';
import { createRequestListener } from './router.js';
import type { RequestListener } from './router.js';

export interface MetalbootApp {
  /** What a node http server calls for every request. */
  readonly handler: RequestListener;
  readonly context: ServerContext;
  /** The routes `handler` answers. */
  readonly routes: readonly Route[];
}

export function createApp(deps: AppDeps): MetalbootApp {
  const context = new ServerContext(deps);
  const routes = deps.extraRoutes?.length ? [...ROUTES, ...deps.extraRoutes] : ROUTES;
  return { handler: createRequestListener(context, routes), context, routes };
}
