/**
 * Wraps a Provider so every call that changes a device is recorded — and, for --dry-run, not made.
 * Reads pass through, so a dry run still resolves the device and shows the real plan.
 */
import { redactTokens } from '../config/device-token.js';
import type { CallRecord, Provider, ProviderDevice, ReinstallOptions } from '../providers/provider.js';

export function redactArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    if (key === 'userdata' && typeof value === 'string') out[key] = `<${Buffer.byteLength(value)} bytes>`;
    else out[key] = typeof value === 'string' ? redactTokens(value) : value; // the boot token in ipxe_script_url
  }
  return out;
}

export function recordingProvider(inner: Provider, calls: CallRecord[], options: { dryRun: boolean; now?: () => Date }): Provider {
  const now = options.now ?? (() => new Date());
  const seen = new Map<string, ProviderDevice>();
  const record = (call: CallRecord['call'], device: string, args?: Record<string, unknown>): void => {
    calls.push({ call, device, ...(args === undefined ? {} : { args: redactArgs(args) }), at: now().toISOString(), ...(options.dryRun ? { dryRun: true } : {}) });
  };
  const act = async (call: CallRecord['call'], id: string, run: () => Promise<void>, args?: Record<string, unknown>): Promise<void> => {
    record(call, id, args);
    if (!options.dryRun) await run();
  };
  return {
    name: inner.name,
    listDevices: (filter) => inner.listDevices(filter),
    async getDevice(id) {
      const device = await inner.getDevice(id);
      seen.set(id, device);
      return device;
    },
    async updateDevice(id, changes) {
      record('update', id, { ...changes });
      if (!options.dryRun) return inner.updateDevice(id, changes);
      const before = seen.get(id) ?? (await inner.getDevice(id));
      return { ...before, ...changes } as ProviderDevice;
    },
    reboot: (id) => act('reboot', id, () => inner.reboot(id)),
    reinstall: (id, reinstall: ReinstallOptions) => act('reinstall', id, () => inner.reinstall(id, reinstall), { ...reinstall }),
    powerOn: (id) => act('power_on', id, () => inner.powerOn(id)),
    powerOff: (id) => act('power_off', id, () => inner.powerOff(id)),
    consoleCommand: (id) => inner.consoleCommand(id),
  };
}
