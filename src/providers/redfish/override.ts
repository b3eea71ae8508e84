/**
 * Setting the boot override on a BMC: where Boot lives (the system, or its `@Redfish.Settings`
 * object when that one carries Boot, as sushy checks), what to send (changed fields, the whole Boot
 * object when the BMC wants it), and Continuous falling back to Once when the BMC refuses it.
 */
import { ProviderError } from '../../errors.js';
import type { BmcHandle } from './bmc.js';
import type { BootView, BootWish, Enabled } from './boot.js';
import { bootRefusal, bootViewOf, changedBoot, effectiveEnabled, wholeBoot } from './boot.js';
import type { Resource } from './client.js';
import { RedfishError } from './errors.js';

type Json = Record<string, unknown>;

interface BootHome {
  readonly path: string;
  readonly resource: Resource;
  /** Current values (from the settings object when Boot lives there); allowed values from the system. */
  readonly view: BootView;
  readonly settings: boolean;
}

/** Makes the BMC boot the device's target `wished` (Disabled: stop overriding). Returns the Enabled value set. */
export async function setOverride(handle: BmcHandle, wished: Enabled, log: (line: string) => void): Promise<Enabled> {
  const system = await handle.readSystem();
  const home = await bootHome(handle, system);
  const bmc = handle.device.bmc;
  let enabled = effectiveEnabled(home.view, wished);
  const wishOf = (value: Enabled): BootWish => ({
    enabled: value, target: bmc.bootTarget, ...(bmc.httpBootUri ? { httpBootUri: bmc.httpBootUri } : {}), ...(handle.device.firmware ? { firmware: handle.device.firmware } : {}),
  });
  const refusal = bootRefusal(home.view, wishOf(enabled));
  if (refusal) {
    throw new ProviderError(`cannot boot ${handle.device.name} from ${bmc.bootTarget}: ${refusal}`, {
      code: 'E_REDFISH_BOOT_TARGET',
      hint: bmc.bootTarget === 'UefiHttp' ? `set bmc.boot: pxe under devices.${handle.device.name} (PXE is the baseline every BMC offers)` : 'this BMC cannot network-boot the system through Redfish',
    });
  }
  if (enabled !== wished) log(`${handle.device.name}: the BMC does not offer Continuous; using Once before every reset instead`);
  for (let attempt = 0; ; attempt++) {
    const wish = wishOf(enabled);
    const changes = changedBoot(home.view, wish);
    if (Object.keys(changes).length === 0) return enabled;
    try {
      await patchBoot(handle, home, changes);
      return enabled;
    } catch (error) {
      if (!(error instanceof RedfishError) || error.status !== 400 || attempt > 1) throw error;
      if (enabled === 'Continuous' && error.says('PropertyValueNotInList')) {
        log(`${handle.device.name}: the BMC refused Continuous; using Once before every reset instead`);
        enabled = 'Once';
        continue;
      }
      if (error.says('PropertyMissing')) {
        log(`${handle.device.name}: the BMC wants the whole Boot object; sending Target, Enabled and Mode together`);
        await patchBoot(handle, home, wholeBoot(home.view, wish));
        return enabled;
      }
      throw error;
    }
  }
}

async function patchBoot(handle: BmcHandle, home: BootHome, boot: Json): Promise<void> {
  const where = home.settings ? 'its pending settings (applied at the next reset)' : 'the system';
  await handle.client.patch(home.path, { Boot: boot }, home.resource.etag, `set the boot override on ${where}`);
}

async function bootHome(handle: BmcHandle, system: Resource): Promise<BootHome> {
  const path = await handle.resolveSystem();
  const systemView = bootViewOf(system.body.Boot as Json | undefined);
  const settingsPath = (((system.body['@Redfish.Settings'] ?? {}) as Json).SettingsObject as Json | undefined)?.['@odata.id'];
  if (typeof settingsPath === 'string') {
    const settings = await handle.client.get(settingsPath, 'read the pending settings');
    const boot = settings.body.Boot as Json | undefined;
    if (boot && ('BootSourceOverrideTarget' in boot || 'BootSourceOverrideEnabled' in boot)) {
      const pending = bootViewOf(boot);
      const view: BootView = { ...systemView, ...stripUndefined({ target: pending.target, enabled: pending.enabled, mode: pending.mode }) };
      return { path: settingsPath, resource: settings, view, settings: true };
    }
  }
  return { path, resource: system, view: systemView, settings: false };
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
