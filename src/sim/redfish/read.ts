/**
 * GET: which resource a URI shows. The simulator's own state wins (systems, NICs, the manager's
 * links, sessions, tasks); everything else is the mockup's resource as DMTF published it.
 */
import type { Reply, SimContext } from './context.js';
import { fail } from './context.js';
import { mockupResource } from './mockup.js';
import { checkError, checkResource, schemaRefOf } from './schema-check.js';
import {
  ROOT, collection, etagOf, managerResource, nicCollection, nicId, nicResource, settingsResource, systemCollection, systemPath, systemResource, systemSubresource,
} from './resources.js';
import { SESSIONS_PATH } from './sessions.js';
import { MONITORS_PATH, TASKS_PATH } from './tasks.js';
import { MOCKUP_SYSTEM } from './world.js';
import type { SimSystem } from './world.js';

type Json = Record<string, unknown>;

/** The system a URI is under, and the rest of the URI. */
export function systemOf(context: SimContext, path: string): { system: SimSystem; rest: string } | undefined {
  const match = /^\/redfish\/v1\/Systems\/([^/]+)(\/.*)?$/.exec(path);
  const system = match ? context.world.systems.get(decodeURIComponent(match[1]!)) : undefined;
  return system ? { system, rest: match![2] ?? '' } : undefined;
}

export function readResource(context: SimContext, path: string): Json | undefined {
  const { world, quirks, sessions, tasks } = context;
  const under = systemOf(context, path);
  if (under) {
    const { system, rest } = under;
    if (rest === '') return systemResource(system, quirks);
    if (rest === '/Settings') return quirks.bootSettings ? settingsResource(system) : undefined;
    if (rest === '/EthernetInterfaces') return nicCollection(system);
    const nic = /^\/EthernetInterfaces\/([^/]+)$/.exec(rest);
    if (nic) return nicResource(system, nic[1]!);
    return systemSubresource(system, path);
  }
  if (path.startsWith(`${ROOT}/Systems/${MOCKUP_SYSTEM.id}`)) return undefined;
  if (path === `${ROOT}/Systems`) return systemCollection(world.systems.values());
  if (path === `${ROOT}/Managers/BMC`) return managerResource(world.systems.values());
  if (path === `${ROOT}/SessionService`) return { ...mockupResource(path), SessionTimeout: sessions.timeout };
  if (path === SESSIONS_PATH) {
    return collection('#SessionCollection.SessionCollection', 'Session Collection', path, [...sessions.sessions.keys()].map((id) => `${path}/${id}`));
  }
  if (path.startsWith(`${SESSIONS_PATH}/`)) {
    const session = sessions.sessions.get(path.slice(SESSIONS_PATH.length + 1));
    return session ? sessions.resource(session) : undefined;
  }
  if (path === TASKS_PATH) return collection('#TaskCollection.TaskCollection', 'Task Collection', path, [...tasks.tasks.keys()].map((id) => `${path}/${id}`));
  if (path.startsWith(`${TASKS_PATH}/`)) {
    const task = tasks.tasks.get(path.slice(TASKS_PATH.length + 1));
    return task ? tasks.resource(task) : undefined;
  }
  return mockupResource(path);
}

/** GET of any URI, with its ETag header (and @odata.etag on systems) unless the profile has none. */
export function handleGet(context: SimContext, path: string): Reply {
  if (path === '/redfish') return { status: 200, body: { v1: `${ROOT}/` } };
  if (path.startsWith(`${MONITORS_PATH}/`)) return readMonitor(context, path.slice(MONITORS_PATH.length + 1));
  const resource = readResource(context, path);
  if (!resource) return fail(404, 'ResourceNotFound', [path]);
  if (context.quirks.noEtags) return { status: 200, body: resource };
  const etag = etagOf(resource, context.quirks.strongEtags);
  const isSystem = systemOf(context, path)?.rest === '';
  return { status: 200, body: isSystem ? { ...resource, '@odata.etag': etag } : resource, headers: { ETag: etag } };
}

/** A task monitor: 202 + the task while it runs, then what the operation answers (204 for a reset). */
function readMonitor(context: SimContext, id: string): Reply {
  const task = context.tasks.tasks.get(id);
  if (!task) return fail(404, 'ResourceNotFound', [`${MONITORS_PATH}/${id}`]);
  if (task.state === 'Running') return { status: 202, body: context.tasks.resource(task), headers: { Location: `${MONITORS_PATH}/${id}`, 'Retry-After': '1' } };
  if (task.state === 'Exception') return fail(500, 'InternalError');
  return { status: 204 };
}

/**
 * Compiles the validators of the answers a boot client gets, before the first request: ajv compiles a
 * schema on first use (seconds for ComputerSystem), which would otherwise show up as the latency of
 * the first GET and distort every timing taken against the simulator.
 */
export function warmUp(context: SimContext): void {
  const system = context.world.systems.values().next().value;
  const paths = [ROOT, `${ROOT}/Systems`, `${ROOT}/Managers/BMC`, `${ROOT}/SessionService`, SESSIONS_PATH, TASKS_PATH];
  if (system) paths.push(systemPath(system), `${systemPath(system)}/EthernetInterfaces`, `${systemPath(system)}/EthernetInterfaces/${system.macs[0] ? nicId(system.macs[0]) : ''}`);
  for (const path of paths) {
    const resource = readResource(context, path);
    if (resource) checkResource(context.store, resource);
  }
  for (const type of ['#Session.v1_8_0.Session', '#Task.v1_7_4.Task']) {
    const ref = schemaRefOf(context.store, type);
    if (ref) context.store.validator(ref);
  }
  checkError(context.store, fail(400, 'GeneralError').body);
}

export { systemPath };
