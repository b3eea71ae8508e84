import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

// cache_mb 16: blobs are read into memory on first request; cache_mb 0: every answer streams from disk.
describe.each([16, 0])('with cache_mb %i', (cacheMb) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ cacheMb });
  });
  afterAll(() => f.close());

  const path = (): string => `/assets/${f.kernel.sha256}/linux`;

  describe('GET /assets/<sha256>/<name>', () => {
    it('serves the whole blob with immutable caching, a strong ETag and the exact length', async () => {
      for (let round = 0; round < 3; round++) {
        // the first answer streams from disk, later ones may come from the memory cache
        const res = await fetch(f.url + path());
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(res.headers.get('etag')).toBe(`"${f.kernel.sha256}"`);
        expect(res.headers.get('content-length')).toBe(String(f.kernel.size));
        expect(res.headers.get('accept-ranges')).toBe('bytes');
        const body = new Uint8Array(await res.arrayBuffer());
        expect(body.length).toBe(f.kernel.size);
        expect(sha(body)).toBe(f.kernel.sha256);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(f.server.context.assets.get(f.kernel.sha256)?.length).toBe(cacheMb ? f.kernel.size : undefined);
    });

    it('answers HEAD with the headers and no body', async () => {
      const res = await fetch(f.url + path(), { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(f.kernel.size));
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    });

    it('answers a matching If-None-Match with 304 and no body', async () => {
      for (const header of [`"${f.kernel.sha256}"`, `"other", "${f.kernel.sha256}"`, '*', `W/"${f.kernel.sha256}"`]) {
        const res = await fetch(f.url + path(), { headers: { 'if-none-match': header } });
        expect(res.status, header).toBe(304);
        expect(res.headers.get('etag')).toBe(`"${f.kernel.sha256}"`);
        expect((await res.arrayBuffer()).byteLength).toBe(0);
      }
      const other = await fetch(f.url + path(), { headers: { 'if-none-match': '"nope"' } });
      expect(other.status).toBe(200);
      await other.arrayBuffer();
    });

    it('answers If-Match naming another tag with 412 and no blob, and serves when it names this one', async () => {
      for (const header of ['"other"', `W/"${f.kernel.sha256}"`, '"a", "b"']) {
        const res = await fetch(f.url + path(), { headers: { 'if-match': header } });
        expect(res.status, header).toBe(412);
        expect(res.headers.get('etag')).toBe(`"${f.kernel.sha256}"`);
        expect(await res.text()).toBe(`If-Match names no tag of this asset (its ETag is "${f.kernel.sha256}")\n`);
      }
      for (const header of [`"${f.kernel.sha256}"`, `"other", "${f.kernel.sha256}"`, '*']) {
        const res = await fetch(f.url + path(), { headers: { 'if-match': header } });
        expect(res.status, header).toBe(200);
        expect((await res.arrayBuffer()).byteLength).toBe(f.kernel.size);
      }
    });

    const ranges: [string, number, number][] = [
      ['bytes=0-0', 0, 0],
      ['bytes=0-1023', 0, 1023],
      ['bytes=1000-', 1000, -1],
      ['bytes=-500', -500, -1],
      ['bytes=100-99999999999', 100, -1],
    ];
    for (const [header, from, to] of ranges) {
      it(`answers Range ${header} with 206 and exactly those bytes`, async () => {
        for (let round = 0; round < 2; round++) {
          const size = f.initrd.size;
          const start = from < 0 ? size + from : from;
          const end = to < 0 ? size - 1 : to;
          const res = await fetch(`${f.url}/assets/${f.initrd.sha256}/initrd.gz`, { headers: { range: header } });
          expect(res.status).toBe(206);
          expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
          expect(res.headers.get('content-length')).toBe(String(end - start + 1));
          const body = Buffer.from(await res.arrayBuffer());
          expect(body.equals(f.initrdData.subarray(start, end + 1))).toBe(true);
        }
      });
    }

    it('answers an unsatisfiable Range with 416 and the size', async () => {
      for (const header of [`bytes=${f.kernel.size}-`, `bytes=${f.kernel.size + 10}-${f.kernel.size + 20}`, 'bytes=-0']) {
        const res = await fetch(f.url + path(), { headers: { range: header } });
        expect(res.status, header).toBe(416);
        expect(res.headers.get('content-range')).toBe(`bytes */${f.kernel.size}`);
        await res.arrayBuffer();
      }
    });

    it('ignores multi-range, malformed and non-byte ranges and sends the whole blob', async () => {
      for (const header of ['bytes=0-1,5-9', 'items=0-5', 'bytes=abc', 'bytes=9-2']) {
        const res = await fetch(f.url + path(), { headers: { range: header } });
        expect(res.status, header).toBe(200);
        expect((await res.arrayBuffer()).byteLength).toBe(f.kernel.size);
      }
    });

    it('honours If-Range only when it names the current ETag', async () => {
      const same = await fetch(f.url + path(), { headers: { range: 'bytes=0-9', 'if-range': `"${f.kernel.sha256}"` } });
      expect(same.status).toBe(206);
      await same.arrayBuffer();
      const other = await fetch(f.url + path(), { headers: { range: 'bytes=0-9', 'if-range': '"stale"' } });
      expect(other.status).toBe(200);
      await other.arrayBuffer();
    });

    it('serves the blob under any plain file name, and refuses other methods', async () => {
      const res = await fetch(`${f.url}/assets/${f.kernel.sha256}/vmlinuz-6.1`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      const post = await fetch(f.url + path(), { method: 'POST' });
      expect(post.status).toBe(405);
    });
  });
});
