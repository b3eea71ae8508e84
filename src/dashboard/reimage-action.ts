/**
 * The Re-image button: exactly what `metalboot reimage <device>` does (src/reimage: resolve the
 * device at the provider, render its target and check every URL it fetches, plan and make the
 * calls), without waiting — the page then shows the boot arriving over the live stream.
 */
import type { BootStore } from '../boots/store.js';
import type { Config } from '../config/types.js';
import { MetalbootError } from '../errors.js';
import { armingFrom, reimage, resolveDevice } from '../reimage/index.js';
import { ipxeTarget } from '../reimage/target.js';
import type { ReimageSummary } from '../reimage/types.js';
import type { ProviderOpener } from './provider-state.js';

export class ReimageAction {
  private readonly running = new Set<string>();

  constructor(private readonly open: ProviderOpener) {}

  /** Re-images `name`; a MetalbootError (device not ready, a URL unreachable…) says why nothing happened. */
  async run(config: Config, boots: BootStore, name: string): Promise<ReimageSummary> {
    if (this.running.has(name)) throw new MetalbootError(`a re-image of ${name} is already being started`, { code: 'E_NOT_READY', hint: 'wait for it' });
    this.running.add(name);
    const provider = await this.open(config);
    try {
      const resolved = await resolveDevice(provider, config, name);
      const target = await ipxeTarget(config, resolved);
      // The same armed boot `metalboot reimage` opens: the server's own boot store.
      return await reimage({ provider, arming: armingFrom(boots) }, { resolved, target, wait: false, timeoutMs: 0, dryRun: false, consoleCommand: `metalboot console ${name}` });
    } finally {
      this.running.delete(name);
      await provider.close?.();
    }
  }
}

/** The sentence shown after the button: what was done, or why not. */
export function describeSummary(summary: ReimageSummary): string {
  const calls = summary.calls.map((call) => call.call).join(', ');
  if (summary.result === 'started') return `Re-image of ${summary.device.name ?? summary.device.id} started (${summary.path}: ${calls}); its boot appears below as it happens.`;
  return `Re-image of ${summary.device.name ?? summary.device.id} ${summary.result}${summary.message ? `: ${summary.message}` : ''}.`;
}
