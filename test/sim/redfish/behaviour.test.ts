import { describe, expect, it } from 'vitest';
import { checkIfMatch } from '../../../src/sim/redfish/etag.js';
import { parseFault } from '../../../src/sim/redfish/faults.js';
import { DEFAULT_QUIRKS, quirksOf } from '../../../src/sim/redfish/profiles.js';
import { parseSystemSeeds } from '../../../src/sim/redfish/seeds.js';
import { SimWorld } from '../../../src/sim/redfish/world.js';

const TAG = 'W/"abc"';

describe('If-Match as the profiles evaluate it', () => {
  it.each([
    ['default: the weak tag', TAG, DEFAULT_QUIRKS, 'ok'],
    ['default: the tag made strong', '"abc"', DEFAULT_QUIRKS, 'ok'],
    ['default: another tag', 'W/"xyz"', DEFAULT_QUIRKS, 'failed'],
    ['default: no header', undefined, DEFAULT_QUIRKS, 'ok'],
    ['strict: the weak tag it handed out', TAG, quirksOf(['strict-if-match']), 'failed'],
    ['strict: the tag made strong', '"abc"', quirksOf(['strict-if-match']), 'ok'],
    ['broken: the right tag', '"abc"', quirksOf(['broken-if-match']), 'failed'],
    ['broken: *', '*', quirksOf(['broken-if-match']), 'ok'],
    ['required: no header', undefined, quirksOf(['if-match-required']), 'required'],
    ['one of a list', 'W/"x", W/"abc"', DEFAULT_QUIRKS, 'ok'],
  ] as const)('%s → %s', (_name, header, quirks, expected) => {
    expect(checkIfMatch(header, TAG, quirks)).toBe(expected);
  });
});

describe('command-line forms', () => {
  it('parses faults and refuses a malformed one with the syntax', () => {
    expect(parseFault('status:patch:2')).toEqual({ kind: 'status', operation: 'patch', times: 2 });
    expect(parseFault('delay:get@1500')).toEqual({ kind: 'delay', operation: 'get', delayMs: 1500 });
    expect(parseFault('after-effect:reset')).toEqual({ kind: 'after-effect', operation: 'reset' });
    expect(parseFault('post')).toEqual({ kind: 'post' });
    expect(() => parseFault('explode:patch')).toThrow('--fault "explode:patch" is not KIND[:OPERATION][:TIMES][@MS]');
  });

  it('combines profiles and names the known ones when one is unknown', () => {
    expect(quirksOf(['strict-if-match,no-continuous', 'async-reset'])).toMatchObject({ strictIfMatch: true, noContinuous: true, asyncReset: true, wholeBoot: false });
    expect(() => quirksOf(['idrac'])).toThrow('unknown Redfish simulator profile "idrac"');
  });

  it('reads a systems file and refuses a bad MAC or a repeated id', () => {
    expect(parseSystemSeeds('- { id: node1, macs: ["52:54:00:00:00:01"], powerState: Off }\n- { id: node2 }\n', 's.yaml')).toEqual([
      { id: 'node1', macs: ['52:54:00:00:00:01'], powerState: 'Off' },
      { id: 'node2' },
    ]);
    expect(() => parseSystemSeeds('- { id: n, macs: [zz] }', 's.yaml')).toThrow('s.yaml: item 1: macs must be a list of MAC addresses');
    expect(() => parseSystemSeeds('- { id: n }\n- { id: n }', 's.yaml')).toThrow('s.yaml: item 2: id n is used twice');
  });
});

describe('the power/boot state machine', () => {
  const world = () => new SimWorld({ powerMs: 5 }, {}, () => {});

  it('Continuous PXE boots the network at every reset; Once only at the next; Disabled the disk', async () => {
    const w = world();
    const system = w.add({}, 0);
    system.boot = { ...system.boot, target: 'Pxe', enabled: 'Continuous' };
    for (let i = 0; i < 2; i++) {
      const outcome = w.reset(system, 'ForceRestart', DEFAULT_QUIRKS);
      if (outcome.result === 'started') await outcome.done;
    }
    system.boot = { ...system.boot, enabled: 'Once' };
    for (let i = 0; i < 2; i++) {
      const outcome = w.reset(system, 'GracefulRestart', DEFAULT_QUIRKS);
      if (outcome.result === 'started') await outcome.done;
    }
    expect(w.boots.map((b) => b.target)).toEqual(['Pxe', 'Pxe', 'Pxe', 'Hdd']);
    w.close();
  });

  it('refuses a reset while the power is changing, and a restart of a system that is off', async () => {
    const w = world();
    const system = w.add({ powerState: 'Off' }, 0);
    expect(w.reset(system, 'ForceRestart', DEFAULT_QUIRKS)).toEqual({ result: 'refused', reason: 'off' });
    const on = w.reset(system, 'On', DEFAULT_QUIRKS);
    expect(system.power).toBe('PoweringOn');
    expect(w.reset(system, 'ForceOff', DEFAULT_QUIRKS)).toEqual({ result: 'refused', reason: 'busy' });
    if (on.result === 'started') await on.done;
    expect(system.power).toBe('On');
    expect(w.reset(system, 'On', DEFAULT_QUIRKS)).toEqual({ result: 'no-op' });
    expect(w.reset(system, 'On', quirksOf(['refuse-same-power-state']))).toEqual({ result: 'refused', reason: 'same-state' });
    w.close();
  });

  it('applies pending settings at the reset, before choosing what to boot', async () => {
    const w = world();
    const system = w.add({}, 0);
    system.pending = { target: 'Pxe', enabled: 'Once' };
    const outcome = w.reset(system, 'ForceRestart', DEFAULT_QUIRKS);
    if (outcome.result === 'started') await outcome.done;
    expect(w.boots.map((b) => b.target)).toEqual(['Pxe']);
    expect(system.pending).toBeUndefined();
    expect(system.boot.enabled).toBe('Disabled');
    w.close();
  });
});
