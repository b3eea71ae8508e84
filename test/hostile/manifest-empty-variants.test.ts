/**
 * Finding 7: the upload API accepted a manifest with `"variants": {}` (201), after which every device
 * on that image was a 500. The schema (one for every reader of manifests) now needs one variant.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/image/manifest-schema.js';
import { startFixture, UPLOAD_TOKEN } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const EMPTY = JSON.stringify({ schema: 1, name: 'deb', type: 'files', installer: false, variants: {} });

describe('a manifest without variants (finding 7)', () => {
  it('is refused by the upload API with 422 naming the field, and the served image is unchanged', async () => {
    const res = await fetch(`${f.url}/api/images/deb`, { method: 'PUT', body: EMPTY, headers: { authorization: `Bearer ${UPLOAD_TOKEN}` } });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatch(/manifest field variants must be .*at least one variant/);
    expect(await readdir(join(f.stateDir, 'images'))).toEqual(['deb.json']);
    const script = await fetch(`${f.url}/ipxe/b4:96:91:aa:bb:01`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain(`/assets/${f.kernel.sha256}/`);
  });

  it('is refused where manifests are read from the store too (one schema)', () => {
    expect(() => parseManifest(EMPTY, 'images/deb.json')).toThrow(/images\/deb\.json: manifest field variants must be/);
  });
});
