/**
 * The simulated systems and their power/boot state machine.
 * - On/ForceOn from Off: PoweringOn, then On and a boot. ForceOff/GracefulShutdown from On: PoweringOff, then Off.
 * - ForceRestart/GracefulRestart/PowerCycle from On: PoweringOff, PoweringOn, On and a boot.
 * - A boot applies pending settings (`@Redfish.Settings`), then boots the override target when
 *   BootSourceOverrideEnabled is Once or Continuous (Once goes back to Disabled), else the disk (Hdd),
 *   and calls the `onReset` hook (phase 2 backs a system with a VM through it).
 */
import type { Quirks } from './profiles.js';

export type PowerState = 'On' | 'Off' | 'PoweringOn' | 'PoweringOff';
export type OverrideEnabled = 'Disabled' | 'Once' | 'Continuous';
export type BootTarget = 'Pxe' | 'Hdd' | 'UefiHttp' | (string & {});

export interface BootSettings {
  target: BootTarget;
  enabled: OverrideEnabled;
  mode: 'UEFI' | 'Legacy';
  httpBootUri: string | null;
}

export interface SimSystemSeed {
  readonly id?: string;
  readonly name?: string;
  readonly hostName?: string;
  /** MACs of its NICs (EthernetInterfaces). */
  readonly macs?: readonly string[];
  readonly powerState?: 'On' | 'Off';
  readonly uuid?: string;
}

export interface SimSystem {
  readonly id: string;
  readonly name: string;
  readonly hostName: string;
  readonly uuid: string;
  readonly macs: readonly string[];
  power: PowerState;
  boot: BootSettings;
  /** Boot changes waiting for the next reset (boot-settings profile). */
  pending: Partial<BootSettings> | undefined;
  lastResetTime: string;
  bootState: 'OSRunning' | 'OSBootStarted' | 'None';
}

export interface BootInfo {
  readonly target: BootTarget;
  readonly uri?: string;
}

export interface RedfishSimHooks {
  /** The system starts booting after a reset or power-on, from `target` (HttpBootUri as `uri` for UefiHttp). */
  onReset?(system: Readonly<SimSystem>, boot: BootInfo): void | Promise<void>;
  /** The system's power went off (ForceOff, GracefulShutdown, or the off half of a restart). */
  onPowerOff?(system: Readonly<SimSystem>): void | Promise<void>;
}

export interface SimTimings {
  /** How long powering off, and powering on, each take. */
  readonly powerMs: number;
}

export type ResetOutcome =
  | { readonly result: 'started'; readonly done: Promise<void> }
  | { readonly result: 'no-op' }
  | { readonly result: 'refused'; readonly reason: 'same-state' | 'busy' | 'off' };

export const MOCKUP_SYSTEM: Required<Omit<SimSystemSeed, 'powerState'>> = {
  id: '437XR1138R2', name: 'WebFrontEnd483', hostName: 'web483', uuid: '38947555-7742-3448-3784-823347823834', macs: ['12:44:6a:3b:04:11', '12:44:6a:3b:88:90'],
};

const RESTARTS = ['ForceRestart', 'GracefulRestart', 'PowerCycle'];
const POWER_ON = ['On', 'ForceOn'];
const POWER_OFF = ['ForceOff', 'GracefulShutdown'];

export class SimWorld {
  readonly systems = new Map<string, SimSystem>();
  /** Every boot, in order: the evidence tests read. */
  readonly boots: { system: string; target: BootTarget; uri?: string; at: string }[] = [];
  /** Every reset that took effect. */
  readonly resets: { system: string; type: string; at: string }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly timings: SimTimings, private readonly hooks: RedfishSimHooks, private readonly onHookError: (error: unknown) => void) {}

  add(seed: SimSystemSeed, index: number): SimSystem {
    const base = index === 0 ? MOCKUP_SYSTEM : undefined;
    const id = seed.id ?? base?.id ?? `System${index + 1}`;
    const system: SimSystem = {
      id,
      name: seed.name ?? base?.name ?? id,
      hostName: seed.hostName ?? base?.hostName ?? id.toLowerCase(),
      uuid: seed.uuid ?? base?.uuid ?? `38947555-7742-3448-3784-${(823347823834 + index).toString().padStart(12, '0')}`,
      macs: (seed.macs ?? base?.macs ?? [`12:44:6a:3c:00:${(index + 1).toString(16).padStart(2, '0')}`]).map((mac) => mac.toLowerCase()),
      power: seed.powerState ?? 'On',
      boot: { target: 'None', enabled: 'Disabled', mode: 'UEFI', httpBootUri: null },
      pending: undefined,
      lastResetTime: new Date().toISOString(),
      bootState: seed.powerState === 'Off' ? 'None' : 'OSRunning',
    };
    this.systems.set(id, system);
    return system;
  }

  /** Applies a ResetType to a system now; `done` settles when its power transition is over. */
  reset(system: SimSystem, type: string, quirks: Quirks): ResetOutcome {
    if (system.power === 'PoweringOn' || system.power === 'PoweringOff') return { result: 'refused', reason: 'busy' };
    const on = system.power === 'On';
    if ((POWER_ON.includes(type) && on) || (POWER_OFF.includes(type) && !on)) {
      return quirks.refuseSamePowerState ? { result: 'refused', reason: 'same-state' } : { result: 'no-op' };
    }
    if (type === 'Nmi') return { result: 'no-op' };
    if (RESTARTS.includes(type) && !on) return { result: 'refused', reason: 'off' };
    this.resets.push({ system: system.id, type, at: new Date().toISOString() });
    system.lastResetTime = new Date().toISOString();
    const goesOff = on;
    const comesOn = !on || RESTARTS.includes(type);
    const done = new Promise<void>((resolve) => {
      const powerOn = () => {
        system.power = 'PoweringOn';
        this.later(() => {
          system.power = 'On';
          this.boot(system);
          resolve();
        });
      };
      if (goesOff) {
        system.power = 'PoweringOff';
        system.bootState = 'None';
        this.later(() => {
          system.power = 'Off';
          this.call(() => this.hooks.onPowerOff?.({ ...system }));
          if (comesOn) powerOn();
          else resolve();
        });
      } else {
        powerOn();
      }
    });
    return { result: 'started', done };
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private boot(system: SimSystem): void {
    if (system.pending) {
      system.boot = { ...system.boot, ...system.pending };
      system.pending = undefined;
    }
    const override = system.boot.enabled !== 'Disabled' && system.boot.target !== 'None';
    const target: BootTarget = override ? system.boot.target : 'Hdd';
    if (system.boot.enabled === 'Once') system.boot = { ...system.boot, enabled: 'Disabled' };
    const uri = target === 'UefiHttp' && system.boot.httpBootUri ? system.boot.httpBootUri : undefined;
    system.bootState = 'OSBootStarted';
    this.boots.push({ system: system.id, target, ...(uri ? { uri } : {}), at: new Date().toISOString() });
    this.call(() => this.hooks.onReset?.({ ...system }, { target, ...(uri ? { uri } : {}) }));
  }

  /** Runs a hook; its failure (thrown or rejected) is reported, never breaks the state machine. */
  private call(hook: () => void | Promise<void>): void {
    try {
      void Promise.resolve(hook()).catch(this.onHookError);
    } catch (error) {
      this.onHookError(error);
    }
  }

  private later(run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, this.timings.powerMs);
    this.timers.add(timer);
  }
}
