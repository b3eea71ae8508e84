import { describe, expect, it } from 'vitest';
import { quirksOf } from '../../../src/sim/redfish/index.js';
import { SimWorld } from '../../../src/sim/redfish/world.js';

describe('the Redfish simulator\'s power hooks (what the VM backing follows)', () => {
  it('calls onPowerOff when power goes off, then onReset with the boot target when it comes on', async () => {
    const calls: string[] = [];
    const errors: unknown[] = [];
    const world = new SimWorld({ powerMs: 5 }, {
      onPowerOff: (system) => void calls.push(`off ${system.id}`),
      onReset: (system, boot) => void calls.push(`boot ${system.id} ${boot.target}`),
    }, (error) => errors.push(error));
    const system = world.add({ id: 's1', powerState: 'On' }, 0);
    system.boot = { ...system.boot, target: 'Pxe', enabled: 'Once' };
    const quirks = quirksOf([]);
    for (const type of ['ForceRestart', 'ForceRestart', 'ForceOff', 'On']) {
      const outcome = world.reset(system, type, quirks);
      expect(outcome.result).toBe('started');
      if (outcome.result === 'started') await outcome.done;
    }
    expect(calls).toEqual(['off s1', 'boot s1 Pxe', 'off s1', 'boot s1 Hdd', 'off s1', 'boot s1 Hdd']);
    expect(errors).toEqual([]);
  });

  it('reports a failing hook without breaking the state machine', async () => {
    const errors: unknown[] = [];
    const world = new SimWorld({ powerMs: 5 }, { onPowerOff: () => Promise.reject(new Error('qemu gone')) }, (error) => errors.push(error));
    const system = world.add({ id: 's1', powerState: 'On' }, 0);
    const outcome = world.reset(system, 'ForceRestart', quirksOf([]));
    if (outcome.result === 'started') await outcome.done;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(system.power).toBe('On');
    expect(errors).toHaveLength(1);
  });
});
