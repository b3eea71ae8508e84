import { expect, it } from 'vitest';
import { loadSpec, specPath } from '../../src/sim/metal/spec.js';

it('says where the spec should be when it is missing', async () => {
  const file = specPath({ METALBOOT_METAL_SPEC: '/nonexistent/openapi3.yaml' });
  expect(file).toBe('/nonexistent/openapi3.yaml');
  await expect(loadSpec(file)).rejects.toThrow('the Equinix Metal OpenAPI spec is not at /nonexistent/openapi3.yaml');
});
