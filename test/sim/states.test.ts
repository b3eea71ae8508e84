import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEVICE_STATES } from '../../src/providers/provider.js';
import { SIM_STATES, specPath } from '../../src/sim/metal/index.js';

it('the simulator serves, and the provider knows, exactly the device states of the spec', async () => {
  const device = parse(await readFile(join(dirname(specPath()), 'components/schemas/Device.yaml'), 'utf8')) as { properties: { state: { enum: string[] } } };
  const inSpec = device.properties.state.enum;
  expect(inSpec).toContain('active');
  expect([...SIM_STATES].sort()).toEqual([...inSpec].sort());
  expect([...DEVICE_STATES].sort()).toEqual([...inSpec].sort());
});
