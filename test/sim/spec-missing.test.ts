import { expect, it } from 'vitest';

it('says where the spec should be when it is missing', async () => {
  process.env.METALBOOT_METAL_SPEC = '/nonexistent/openapi3.yaml';
  try {
    const { loadSpec } = await import('../../src/sim/metal/spec.js');
    await expect(loadSpec()).rejects.toThrow('the Equinix Metal OpenAPI spec is not at /nonexistent/openapi3.yaml');
  } finally {
    delete process.env.METALBOOT_METAL_SPEC;
  }
});
