/** Which handler answers a request (after authentication and faults), and which fault operation it is. */
import type { Reply, SimContext } from './context.js';
import { fail } from './context.js';
import type { SimOperation } from './faults.js';
import { handleGet, systemOf } from './read.js';
import { checkCreate } from './schema-check.js';
import { SESSIONS_PATH } from './sessions.js';
import { MONITORS_PATH } from './tasks.js';
import { patchSystem, resetSystem } from './write.js';

const RESET = '/Actions/ComputerSystem.Reset';

export function operationOf(method: string, path: string): SimOperation {
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return 'delete';
  if (method === 'POST' && path === SESSIONS_PATH) return 'session';
  if (method === 'POST' && path.endsWith(RESET)) return 'reset';
  if (path.startsWith(MONITORS_PATH)) return 'task';
  return 'get';
}

export function dispatch(context: SimContext, method: string, path: string, body: unknown, ifMatch: string | undefined, token: string | undefined): Reply {
  if (method === 'GET' || method === 'HEAD') return handleGet(context, path);
  const under = systemOf(context, path);
  if (method === 'PATCH' && under && (under.rest === '' || (under.rest === '/Settings' && context.quirks.bootSettings))) {
    return patchSystem(context, under.system, body, ifMatch, under.rest === '/Settings');
  }
  if (method === 'POST' && under?.rest === RESET) return resetSystem(context, under.system, body ?? {});
  if (method === 'POST' && path === SESSIONS_PATH) return login(context, body);
  if (method === 'DELETE' && path.startsWith(`${SESSIONS_PATH}/`)) return logout(context, path.slice(SESSIONS_PATH.length + 1), token);
  context.violations.push(`${method} ${path}: not something a Redfish boot client needs (the simulator answers 405)`);
  return fail(405, 'ActionNotSupported', [`${method} ${path}`]);
}

function login(context: SimContext, body: unknown): Reply {
  if (context.quirks.noSessions) return fail(405, 'ActionNotSupported', ['POST SessionService/Sessions']);
  const check = checkCreate(context.store, '#Session.v1_8_0.Session', body ?? {});
  if (check.problems.length > 0) {
    context.violations.push(...check.problems.map((problem) => `POST ${SESSIONS_PATH}: ${problem}`));
    return { status: 400, body: { error: { code: check.messages[0]?.MessageId ?? 'Base.1.5.0.GeneralError', message: 'The login request is not valid.', '@Message.ExtendedInfo': check.messages } } };
  }
  const { UserName, Password } = body as { UserName?: unknown; Password?: unknown };
  const user = context.sessions.userFor(UserName, Password);
  if (!user) return fail(401, 'NoValidSession');
  const session = context.sessions.create(user);
  const location = `${SESSIONS_PATH}/${session.id}`;
  return { status: 201, body: context.sessions.resource(session), headers: { 'X-Auth-Token': session.token, Location: location } };
}

function logout(context: SimContext, id: string, token: string | undefined): Reply {
  const session = context.sessions.sessions.get(id);
  if (!session) return fail(404, 'ResourceNotFound', [`${SESSIONS_PATH}/${id}`]);
  if (token !== undefined && token !== session.token) context.violations.push(`DELETE ${SESSIONS_PATH}/${id}: a client deleted a session that is not its own`);
  context.sessions.delete(id);
  return { status: 204 };
}
