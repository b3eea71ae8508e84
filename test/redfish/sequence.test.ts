/**
 * One re-image through the provider-independent flow (src/reimage) over the Redfish provider, as
 * the simulator saw it: every request with its start and end (ms since the first), printed for the
 * report. Timings are loopback and the simulator's 300 ms power transitions: they show the order and
 * the shape, not a real BMC's speed (no timing is asserted).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reimage, resolveDevice } from '../../src/reimage/index.js';
import type { ReimageTarget } from '../../src/reimage/index.js';
import type { RedfishSimulator } from '../../src/sim/redfish/index.js';
import type { Rig } from './helpers.js';
import { startRig, warmSimulator } from './helpers.js';

let rig: Rig | undefined;
beforeAll(warmSimulator, 120_000);
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const TARGET: ReimageTarget = { kind: 'ipxe', scriptUrl: 'http://127.0.0.1:9/ipxe/web-1', checkUrls: [], installer: true, alwaysPxeAfter: false };

export function formatSequence(sim: RedfishSimulator): string {
  const requests = sim.requests();
  const start = requests[0]?.atMs ?? 0;
  return requests
    .map((r) => `+${String(r.atMs - start).padStart(5)} ms ${String((r.doneMs ?? r.atMs) - r.atMs).padStart(4)} ms  ${r.method.padEnd(6)} ${r.path} → ${r.status ?? '-'}${r.ifMatch ? ` (If-Match ${r.ifMatch})` : ''}${r.body && r.method !== 'POST' ? ` ${JSON.stringify(r.body)}` : r.body && !r.path.endsWith('/Sessions') ? ` ${JSON.stringify(r.body)}` : ''}`)
    .join('\n');
}

async function runReimage(r: Rig, wait = true) {
  const resolved = await resolveDevice(r.provider, r.config, 'web-1');
  const summary = await reimage(
    { provider: r.provider, pollMs: 20, pollMaxMs: 40 },
    { resolved, target: TARGET, wait, timeoutMs: 10_000, dryRun: false, consoleCommand: 'metalboot console web-1' },
  );
  await r.provider.close();
  return summary;
}

describe('the Redfish call sequence of one re-image', () => {
  it('read, PXE override with If-Match, ForceRestart, follow the power state, override off, session closed', async () => {
    rig = await startRig({ sim: { timings: { powerMs: 300 } } });
    const summary = await runReimage(rig);
    expect(summary.result).toBe('succeeded');
    expect(summary.calls.map((c) => c.call)).toEqual(['update', 'reboot', 'update']);
    const mutating = rig.sim.requests().filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/Sessions\/\w+$/, 'Sessions/<id>')} ${r.status}`);
    expect(mutating).toEqual([
      'POST /redfish/v1/SessionService/Sessions 201',
      'PATCH /redfish/v1/Systems/437XR1138R2 200',
      'POST /redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset 204',
      'PATCH /redfish/v1/Systems/437XR1138R2 200',
      'DELETE /redfish/v1/SessionService/Sessions/<id> 204',
    ]);
    expect(rig.sim.world.boots.map((b) => b.target)).toEqual(['Pxe']);
    expect(rig.sim.world.systems.get('437XR1138R2')!.boot.enabled).toBe('Disabled');
    expect(rig.sim.violations()).toEqual([]);
    console.log(`one re-image (default profile), as the simulator saw it:\n${formatSequence(rig.sim)}\nphases: ${summary.phases.map((p) => `${p.phase}@${p.elapsedMs}ms`).join(', ')}; total ${summary.totalMs} ms`);
  });

  // Without --wait: the reset's task completes once the power cycle is over, so by the time reboot
  // returns the system is On again and a wait that follows the power state alone sees no change
  // (phase 2 follows boot events from the server instead).
  it('the same re-image (no --wait) against a BMC with strict If-Match, no Continuous and an async reset', async () => {
    rig = await startRig({ quirks: { strictIfMatch: true, noContinuous: true, asyncReset: true }, sim: { timings: { powerMs: 300 } } });
    const summary = await runReimage(rig, false);
    expect(summary.result).toBe('started');
    expect(rig.sim.world.boots.map((b) => b.target)).toEqual(['Pxe']);
    expect(rig.sim.violations()).toEqual([]);
    console.log(`one re-image (strict-if-match, no-continuous, async-reset), as the simulator saw it:\n${formatSequence(rig.sim)}\nphases: ${summary.phases.map((p) => `${p.phase}@${p.elapsedMs}ms`).join(', ')}; total ${summary.totalMs} ms`);
  });
});
