/**
 * PATCH of a system's Boot (or its pending settings) and the Reset action, as a service checks
 * them: precondition (If-Match) first, then the body against the schema (read-only properties are
 * refused with PropertyNotWritable), then the values against what the system advertises, then the
 * profile's own refusals. Requests a correct client never sends are also recorded as violations.
 */
import type { Reply, SimContext } from './context.js';
import { fail, failWith } from './context.js';
import { checkIfMatch } from './etag.js';
import { messageOf } from './messages.js';
import { allowedEnabled, allowedResetTypes, allowedTargets, etagOf, settingsResource, systemPath, systemResource } from './resources.js';
import { checkAction, checkPatch } from './schema-check.js';
import type { BootSettings, SimSystem } from './world.js';

type Json = Record<string, unknown>;
const SYSTEM_TYPE = '#ComputerSystem.v1_27_0.ComputerSystem';
const BOOT_FIELDS: Readonly<Record<string, keyof BootSettings>> = {
  BootSourceOverrideTarget: 'target', BootSourceOverrideEnabled: 'enabled', BootSourceOverrideMode: 'mode', HttpBootUri: 'httpBootUri',
};

export function patchSystem(context: SimContext, system: SimSystem, body: unknown, ifMatch: string | undefined, settings: boolean): Reply {
  const { quirks } = context;
  const current = settings ? settingsResource(system) : systemResource(system, quirks);
  const precondition = checkIfMatch(ifMatch, quirks.noEtags ? undefined : etagOf(current, quirks.strongEtags), quirks);
  if (precondition === 'required') return fail(428, 'PreconditionRequired');
  if (precondition === 'failed') return fail(412, 'PreconditionFailed');
  const check = checkPatch(context.store, SYSTEM_TYPE, body);
  if (check.problems.length > 0) {
    context.violations.push(...check.problems.map((problem) => `PATCH ${systemPath(system)}${settings ? '/Settings' : ''}: ${problem}`));
    return failWith(400, check.messages);
  }
  const patch = body as Json;
  const unsupported = Object.keys(patch).filter((key) => key !== 'Boot');
  if (unsupported.length > 0) return failWith(400, unsupported.map((key) => messageOf('PropertyNotWritable', [key], [`#/${key}`])));
  const boot = (patch.Boot ?? {}) as Json;
  const refusal = refuseBoot(context, system, boot, settings);
  if (refusal) return refusal;
  const changes: Partial<BootSettings> = {};
  for (const [field, key] of Object.entries(BOOT_FIELDS)) if (field in boot) Object.assign(changes, { [key]: boot[field] });
  if (settings) system.pending = { ...system.pending, ...changes };
  else system.boot = { ...system.boot, ...changes };
  const after = settings ? settingsResource(system) : systemResource(system, quirks);
  const etag = quirks.noEtags ? undefined : etagOf(after, quirks.strongEtags);
  return { status: 200, body: settings || !etag ? after : { ...after, '@odata.etag': etag }, ...(etag ? { headers: { ETag: etag } } : {}) };
}

/** Why this Boot change is refused, by what the system advertises and by the profile; undefined when it is fine. */
function refuseBoot(context: SimContext, system: SimSystem, boot: Json, settings: boolean): Reply | undefined {
  const { quirks, violations } = context;
  const where = `PATCH ${systemPath(system)}${settings ? '/Settings' : ''}`;
  if (quirks.bootSettings && !settings) {
    return failWith(400, Object.keys(boot).map((key) => messageOf('PropertyNotWritable', [`Boot/${key}`], [`#/Boot/${key}`])));
  }
  const target = boot.BootSourceOverrideTarget;
  if (typeof target === 'string' && !allowedTargets(quirks).includes(target)) {
    violations.push(`${where}: BootSourceOverrideTarget ${target} is not in its @Redfish.AllowableValues (${allowedTargets(quirks).join(', ')})`);
    return fail(400, 'PropertyValueNotInList', [target, 'Boot/BootSourceOverrideTarget']);
  }
  const enabled = boot.BootSourceOverrideEnabled;
  const advertised = allowedEnabled(quirks);
  if (typeof enabled === 'string' && advertised && !advertised.includes(enabled)) {
    violations.push(`${where}: BootSourceOverrideEnabled ${enabled} is not in its @Redfish.AllowableValues (${advertised.join(', ')})`);
    return fail(400, 'PropertyValueNotInList', [enabled, 'Boot/BootSourceOverrideEnabled']);
  }
  if (enabled === 'Continuous' && quirks.noContinuous) return fail(400, 'PropertyValueNotInList', ['Continuous', 'Boot/BootSourceOverrideEnabled']);
  if ('HttpBootUri' in boot && !quirks.uefiHttp) {
    violations.push(`${where}: HttpBootUri sent to a system whose Boot has no HttpBootUri`);
    return fail(400, 'PropertyUnknown', ['Boot/HttpBootUri']);
  }
  if (quirks.wholeBoot) {
    const missing = ['BootSourceOverrideTarget', 'BootSourceOverrideEnabled', 'BootSourceOverrideMode'].filter((key) => !(key in boot));
    if (missing.length > 0) return failWith(400, missing.map((key) => messageOf('PropertyMissing', [`Boot/${key}`], [`#/Boot/${key}`])));
  }
  return undefined;
}

export function resetSystem(context: SimContext, system: SimSystem, body: unknown): Reply & { effect?: Promise<void> } {
  const check = checkAction(context.store, SYSTEM_TYPE, 'Reset', body);
  const where = `POST ${systemPath(system)}/Actions/ComputerSystem.Reset`;
  if (check.problems.length > 0) {
    context.violations.push(...check.problems.map((problem) => `${where}: ${problem}`));
    return failWith(400, check.messages);
  }
  const type = String((body as Json).ResetType ?? 'ForceRestart');
  if (!allowedResetTypes(context.quirks).includes(type)) {
    context.violations.push(`${where}: ResetType ${type} is not in its @Redfish.AllowableValues (${allowedResetTypes(context.quirks).join(', ')})`);
    return fail(400, 'ActionParameterNotSupported', ['ResetType', 'Reset']);
  }
  const outcome = context.world.reset(system, type, context.quirks);
  if (outcome.result === 'refused') {
    if (outcome.reason === 'busy') return fail(409, 'ResourceInUse');
    if (outcome.reason === 'off') context.violations.push(`${where}: ${type} sent to a system that is off (power it On instead)`);
    return fail(400, 'InvalidOperationForSystemState');
  }
  if (outcome.result === 'no-op') return { status: 204 };
  if (!context.quirks.asyncReset) return { status: 204, effect: outcome.done };
  const task = context.tasks.start(`Reset ${system.id} (${type})`, outcome.done);
  return { status: 202, body: context.tasks.resource(task), headers: { Location: context.tasks.monitorPath(task) }, effect: outcome.done };
}
