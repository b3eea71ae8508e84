/**
 * Issue 11, finding 18: `If-Match` with a tag that is not the asset's must be 412, not 200.
 * (Already held on main at b6df819 — this keeps it held: it fails if conditional.ts stops checking.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

describe('If-Match on an asset', () => {
  it('answers 412 for another tag, a weak tag, or a list without the asset\'s; 200 for its own tag or *', async () => {
    const url = `${f.url}/assets/${f.kernel.sha256}/linux`;
    const etag = `"${f.kernel.sha256}"`;
    for (const ifMatch of ['"0000"', `W/${etag}`, '"a", "b"', `"${f.initrd.sha256}"`]) {
      const res = await fetch(url, { headers: { 'if-match': ifMatch } });
      expect(res.status, ifMatch).toBe(412);
      expect(await res.text()).toContain('If-Match names no tag of this asset');
    }
    for (const ifMatch of [etag, '*', `"x", ${etag}`]) {
      const res = await fetch(url, { headers: { 'if-match': ifMatch, range: 'bytes=0-9' } });
      expect(res.status, ifMatch).toBe(206);
      await res.arrayBuffer();
    }
  });
});
