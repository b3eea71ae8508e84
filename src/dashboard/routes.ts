/**
 * The dashboard's routes under /ui, handed to the server as `extraRoutes` by `metalboot serve`
 * (the server never imports the dashboard). Every page needs a session (login with an operator
 * token); actions need the write role and the session's CSRF token.
 */
import { stat } from 'node:fs/promises';
import { redactTokens } from '../config/device-token.js';
import type { DeviceConfig } from '../config/types.js';
import { MetalbootError, NotBuiltError } from '../errors.js';
import { manifestFile } from '../image/store.js';
import { renderScriptFor } from '../ipxe/for-device.js';
import { HttpError } from '../server/respond.js';
import type { Route, RouteCall, RouteHandler } from '../server/route.js';
import { queryValue } from '../server/route.js';
import { consoleTail } from './console-tail.js';
import { isHttps, sessionCookie } from './cookies.js';
import { deviceIndex } from './device-index.js';
import { checkCsrf, checkOrigin, readForm, requireSession, roleForToken, sessionOf } from './gate.js';
import type { Html } from './html.js';
import type { Section } from './layout.js';
import { page } from './layout.js';
import { devicePage, historyFragment } from './pages/device.js';
import { deviceUrl, devicesPage } from './pages/devices.js';
import { eventsPage } from './pages/events.js';
import type { ImageInfo } from './pages/images.js';
import { imagesPage } from './pages/images.js';
import { loginPage } from './pages/login.js';
import type { ProviderOpener } from './provider-state.js';
import { ProviderStates } from './provider-state.js';
import { describeSummary, ReimageAction } from './reimage-action.js';
import { redirect, sendHtml } from './respond.js';
import type { Session } from './sessions.js';
import { SESSION_TTL_MS, SessionStore } from './sessions.js';
import { serveStatic } from './static.js';
import { stream } from './stream.js';

export interface DashboardOptions {
  /** Opens the provider the devices live at (state column, Re-image); without it both are off. */
  readonly provider?: ProviderOpener;
  readonly sessions?: SessionStore;
}

const EVENTS_SHOWN = 500;

export function dashboardRoutes(options: DashboardOptions = {}): Route[] {
  const sessions = options.sessions ?? new SessionStore();
  const providers = new ProviderStates(options.provider);
  const action = options.provider ? new ReimageAction(options.provider) : undefined;

  /** A page handler that runs only with a session (else: to the login page). */
  const withSession = (handler: (call: RouteCall, session: Session) => void | Promise<void>): RouteHandler => (call) => {
    const session = requireSession(call, sessions);
    if (session) return handler(call, session);
  };
  const show = (call: RouteCall, session: Session | undefined, section: Section, title: string, body: Html, status = 200, live?: { device?: string }): void =>
    sendHtml(call.res, status, page({ title, section, ...(session ? { session } : {}), body, ...(live ? { live } : {}) }));
  const configured = (call: RouteCall): DeviceConfig => {
    const devices = call.ctx.config.devices;
    const name = call.params.name ?? '';
    const device = Object.hasOwn(devices, name) ? devices[name] : undefined;
    if (!device) throw new HttpError(404, `no device ${JSON.stringify(name.slice(0, 100))} is configured`);
    return device;
  };

  const route = (methods: Route['methods'], path: string, handler: RouteHandler): Route => ({ methods, path, errors: 'text', handler });
  return [
    route(['GET'], '/ui', (call) => redirect(call.res, '/ui/devices')),
    route(['GET'], '/ui/static/:file', serveStatic),
    route(['GET'], '/ui/login', (call) => {
      if (sessionOf(call, sessions)) return redirect(call.res, '/ui/devices');
      show(call, undefined, 'login', 'Log in', loginPage({ enabled: loginEnabled(call) }));
    }),
    route(['POST'], '/ui/login', async (call) => {
      checkOrigin(call.req);
      const form = await readForm(call);
      const role = roleForToken(call.ctx, form.get('token') ?? '');
      if (!role) {
        call.ctx.logger.warn({ client: call.ctx.clientOf(call.req) }, 'dashboard login refused: wrong token');
        return show(call, undefined, 'login', 'Log in', loginPage({ enabled: loginEnabled(call), error: 'That token is not accepted.' }), 401);
      }
      const session = sessions.create(role);
      call.ctx.logger.info({ client: call.ctx.clientOf(call.req), role }, 'dashboard login');
      redirect(call.res, '/ui/devices', { 'Set-Cookie': sessionCookie(session.id, { secure: isHttps(call.req, call.ctx.trustForwardedFor), maxAgeSeconds: SESSION_TTL_MS / 1000 }) });
    }),
    route(['POST'], '/ui/logout', withSession(async (call, session) => {
      checkCsrf(call.req, session, await readForm(call));
      sessions.delete(session.id);
      redirect(call.res, '/ui/login', { 'Set-Cookie': sessionCookie('', { secure: isHttps(call.req, call.ctx.trustForwardedFor), maxAgeSeconds: 0 }) });
    })),
    route(['GET'], '/ui/devices', withSession(async (call, session) => {
      const { config } = call.ctx;
      const index = deviceIndex(call.ctx.events);
      const filter = { name: queryValue(call, 'name'), image: queryValue(call, 'image') || undefined, state: queryValue(call, 'state') || undefined };
      const provider = providers.available ? await providers.view(config) : undefined;
      show(call, session, 'devices', 'Devices', devicesPage({ config, status: (name) => index.get(name), provider, filter }), 200, {});
    })),
    route(['GET'], '/ui/devices/:name', withSession(async (call, session) => {
      const { ctx } = call;
      const device = configured(call);
      const remote = providers.available ? (await providers.view(ctx.config)).devices.get(device.name) : undefined;
      const body = devicePage({
        device, session, remote,
        events: ctx.events.list({ device: device.name }),
        script: await scriptOf(call, device),
        console: await consoleTail(ctx.stateDir, device.name),
        reimageUnavailable: !action ? 'no provider is configured (metalboot serve with METAL_AUTH_TOKEN set)' : session.role !== 'write' ? 'needs the operator token (METALBOOT_TOKEN); you are logged in read-only' : undefined,
      });
      show(call, session, 'devices', device.name, body, 200, { device: device.name });
    })),
    route(['GET'], '/ui/devices/:name/history', withSession(async (call) => {
      const device = configured(call);
      sendHtml(call.res, 200, historyFragment(call.ctx.events.list({ device: device.name }), await consoleTail(call.ctx.stateDir, device.name)));
    })),
    route(['POST'], '/ui/devices/:name/reimage', withSession(async (call, session) => {
      const device = configured(call);
      const form = await readForm(call);
      checkCsrf(call.req, session, form);
      if (session.role !== 'write') throw new HttpError(403, 're-imaging needs the operator token (METALBOOT_TOKEN); this session is read-only');
      if (!action) throw new HttpError(409, 'no provider is configured: start metalboot serve with METAL_AUTH_TOKEN set');
      if (form.get('confirm') !== 'yes') {
        session.flash = 'Nothing was done: tick the confirmation box to re-image.';
        return redirect(call.res, deviceUrl(device.name));
      }
      call.ctx.logger.info({ device: device.name, client: call.ctx.clientOf(call.req) }, 'dashboard re-image');
      try {
        session.flash = describeSummary(await action.run(call.ctx.config, call.ctx.boots, device.name));
      } catch (error) {
        if (!(error instanceof MetalbootError)) throw error;
        session.flash = `Re-image of ${device.name} not started: ${error.message}${error.hint ? ` (${error.hint})` : ''}`;
      }
      providers.invalidate();
      redirect(call.res, deviceUrl(device.name));
    })),
    route(['GET'], '/ui/images', withSession(async (call, session) => {
      const { config, stateDir, manifests } = call.ctx;
      const images: ImageInfo[] = await Promise.all(Object.keys(config.images).map(async (name) => {
        try {
          const manifest = await manifests.get(stateDir, name);
          const builtAt = (await stat(manifestFile(stateDir, name))).mtime.toISOString();
          return { name, manifest, builtAt };
        } catch (error) {
          if (error instanceof NotBuiltError) return { name, manifest: undefined, builtAt: undefined };
          throw error;
        }
      }));
      show(call, session, 'images', 'Images', imagesPage(config, images));
    })),
    route(['GET'], '/ui/events', withSession((call, session) => {
      const index = deviceIndex(call.ctx.events);
      const device = queryValue(call, 'device') || undefined;
      const kind = queryValue(call, 'kind') || undefined;
      const listed = device === undefined ? call.ctx.events.list({ since: Math.max(0, index.lastId - EVENTS_SHOWN) }) : call.ctx.events.list({ device });
      const events = listed.filter((event) => kind === undefined || event.kind === kind).slice(-EVENTS_SHOWN).reverse();
      show(call, session, 'events', 'Events', eventsPage(events, { device, kind }), 200, {});
    })),
    route(['GET'], '/ui/stream', withSession((call, session) => stream(call, () => sessions.get(session.id) !== undefined))),
  ];
}

function loginEnabled(call: RouteCall): boolean {
  return call.ctx.uploadToken !== undefined || call.ctx.readToken !== undefined;
}

/** The script the device is served, with its boot token shown as REDACTED (the store keeps only digests). */
async function scriptOf(call: RouteCall, device: DeviceConfig): Promise<{ text: string } | { error: string }> {
  const { ctx } = call;
  try {
    const manifest = await ctx.manifests.get(ctx.stateDir, device.image);
    return { text: redactTokens(renderScriptFor(ctx.config, device, manifest, { baseUrl: ctx.config.server.publicUrl, ...(ctx.boots.current(device.name) ? { token: 'REDACTED' } : {}) })) };
  } catch (error) {
    if (error instanceof NotBuiltError) return { error: `image ${device.image} has not been built (metalboot build ${device.image})` };
    throw error;
  }
}
