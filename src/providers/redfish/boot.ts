/**
 * What to PATCH for a boot override. Pure.
 * - the target must be in BootSourceOverrideTarget@Redfish.AllowableValues (when advertised);
 *   UefiHttp also needs Boot.HttpBootUri (ComputerSystem ≥ v1_9_0) on that system;
 * - Continuous only where it is not advertised as missing (else Once, armed before every reset);
 * - only the fields that change are sent; `wholeBootBody` is the fallback for BMCs that want
 *   Target, Enabled and Mode together.
 */
import type { BmcConfig, Firmware } from '../../config/types.js';

type Json = Record<string, unknown>;
export type Enabled = 'Disabled' | 'Once' | 'Continuous';

export interface BootWish {
  readonly enabled: Enabled;
  readonly target: BmcConfig['bootTarget'];
  readonly httpBootUri?: string;
  readonly firmware?: Firmware;
}

export interface BootView {
  readonly target?: string;
  readonly enabled?: string;
  readonly mode?: string;
  readonly httpBootUri?: string | null;
  readonly hasHttpBootUri: boolean;
  readonly allowedTargets?: readonly string[];
  readonly allowedEnabled?: readonly string[];
}

export function bootViewOf(boot: Json | undefined): BootView {
  const list = (key: string): readonly string[] | undefined => {
    const value = boot?.[key];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
  };
  const text = (key: string): string | undefined => (typeof boot?.[key] === 'string' ? (boot[key] as string) : undefined);
  const allowedTargets = list('BootSourceOverrideTarget@Redfish.AllowableValues');
  const allowedEnabled = list('BootSourceOverrideEnabled@Redfish.AllowableValues');
  const target = text('BootSourceOverrideTarget');
  const enabled = text('BootSourceOverrideEnabled');
  const mode = text('BootSourceOverrideMode');
  return {
    ...(target === undefined ? {} : { target }),
    ...(enabled === undefined ? {} : { enabled }),
    ...(mode === undefined ? {} : { mode }),
    ...(boot && 'HttpBootUri' in boot ? { httpBootUri: (boot.HttpBootUri as string | null) ?? null } : {}),
    hasHttpBootUri: boot !== undefined && 'HttpBootUri' in boot,
    ...(allowedTargets ? { allowedTargets } : {}),
    ...(allowedEnabled ? { allowedEnabled } : {}),
  };
}

/** Why this system cannot boot the wished target, or undefined. */
export function bootRefusal(view: BootView, wish: BootWish): string | undefined {
  if (wish.enabled === 'Disabled') return undefined;
  if (view.allowedTargets && !view.allowedTargets.includes(wish.target)) {
    return `its BMC does not offer ${wish.target} as a boot override target (BootSourceOverrideTarget@Redfish.AllowableValues: ${view.allowedTargets.join(', ')})`;
  }
  if (wish.target === 'UefiHttp' && !view.hasHttpBootUri) return 'its BMC has no Boot.HttpBootUri (ComputerSystem v1_9_0 or later), so UefiHttp cannot be pointed at a URI';
  return undefined;
}

/** Once where Continuous is wished but the system advertises no Continuous. */
export function effectiveEnabled(view: BootView, wished: Enabled): Enabled {
  if (wished === 'Continuous' && view.allowedEnabled && !view.allowedEnabled.includes('Continuous')) return 'Once';
  return wished;
}

/** Boot fields that differ from what the system shows (empty: nothing to PATCH). */
export function changedBoot(view: BootView, wish: BootWish): Json {
  const out: Json = {};
  if (view.enabled !== wish.enabled) out.BootSourceOverrideEnabled = wish.enabled;
  if (wish.enabled === 'Disabled') return out;
  if (view.target !== wish.target) out.BootSourceOverrideTarget = wish.target;
  const mode = modeOf(wish);
  if (mode !== undefined && view.mode !== mode) out.BootSourceOverrideMode = mode;
  if (wish.target === 'UefiHttp' && wish.httpBootUri !== undefined && view.httpBootUri !== wish.httpBootUri) out.HttpBootUri = wish.httpBootUri;
  return out;
}

/** Target, Enabled and Mode together (for BMCs that refuse a partial Boot object). */
export function wholeBoot(view: BootView, wish: BootWish): Json {
  return {
    BootSourceOverrideTarget: wish.enabled === 'Disabled' ? view.target ?? 'None' : wish.target,
    BootSourceOverrideEnabled: wish.enabled,
    BootSourceOverrideMode: modeOf(wish) ?? view.mode ?? 'UEFI',
    ...(wish.target === 'UefiHttp' && wish.httpBootUri !== undefined && wish.enabled !== 'Disabled' ? { HttpBootUri: wish.httpBootUri } : {}),
  };
}

function modeOf(wish: BootWish): 'UEFI' | 'Legacy' | undefined {
  if (wish.target === 'UefiHttp') return 'UEFI';
  return wish.firmware === undefined ? undefined : wish.firmware === 'uefi' ? 'UEFI' : 'Legacy';
}
