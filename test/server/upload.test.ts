import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded, startFixture, UPLOAD_TOKEN } from './fixture.js';
import type { Fixture } from './fixture.js';

let f: Fixture;
const LIMIT = 8 * 1024 * 1024;
beforeAll(async () => {
  f = await startFixture({ maxUploadBytes: LIMIT });
});
afterAll(() => f.close());

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const auth = { authorization: `Bearer ${UPLOAD_TOKEN}` };
const put = (path: string, body: Buffer | string, headers: Record<string, string> = auth): Promise<Response> =>
  fetch(f.url + path, { method: 'PUT', body: body as NonNullable<RequestInit['body']>, headers });

async function storeFiles(): Promise<string[]> {
  return [...(await readdir(join(f.stateDir, 'assets'))), ...(await readdir(join(f.stateDir, 'tmp')).catch(() => []))].sort();
}

describe('upload API', () => {
  it('stores an asset whose body matches its sha256 and serves it', async () => {
    const data = seeded(1_500_000, 7);
    const res = await put(`/api/assets/${sha(data)}`, data);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ sha256: sha(data), size: data.length });
    expect((await readFile(join(f.stateDir, 'assets', sha(data)))).equals(data)).toBe(true);
    const again = await put(`/api/assets/${sha(data)}`, data);
    expect(again.status).toBe(200);
  });

  it('refuses uploads without a token or with a wrong one, saying why', async () => {
    const data = seeded(1000, 8);
    const none = await put(`/api/assets/${sha(data)}`, data, {});
    expect(none.status).toBe(401);
    expect((await none.json()).error).toMatch(/Authorization: Bearer/);
    const bad = await put(`/api/assets/${sha(data)}`, data, { authorization: 'Bearer nope' });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error).toMatch(/METALBOOT_TOKEN/);
    const manifest = await put('/api/images/deb', '{}', { authorization: 'Basic x' });
    expect(manifest.status).toBe(401);
    expect(await storeFiles()).not.toContain(sha(data));
  });

  it('refuses a body whose sha256 differs (422) and keeps nothing', async () => {
    const before = await storeFiles();
    const data = seeded(200_000, 9);
    const claimed = sha(seeded(200_000, 10));
    const res = await put(`/api/assets/${claimed}`, data);
    expect(res.status).toBe(422);
    expect((await res.json()).error).toContain(`is ${sha(data)}, not ${claimed}`);
    expect(await storeFiles()).toEqual(before);
  });

  it('refuses an oversized body (413), declared or streamed, and keeps nothing', async () => {
    const before = await storeFiles();
    const data = seeded(LIMIT + 1, 11);
    const declared = await put(`/api/assets/${sha(data)}`, data);
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toMatch(/limit of 8388608 bytes/);
    // chunked: no Content-Length, the limit trips while streaming
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${f.url}/api/assets/${sha(data)}`, { method: 'PUT', headers: { ...auth, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < data.length; i += 1 << 20) req.write(data.subarray(i, i + (1 << 20)));
      req.end();
    });
    expect(status).toBe(413);
    await new Promise((r) => setTimeout(r, 100));
    expect(await storeFiles()).toEqual(before);
  });

  it('rejects a malformed sha256 and a manifest that is invalid or names missing assets', async () => {
    expect((await put('/api/assets/xyz', 'a')).status).toBe(400);
    const bad = await put('/api/images/deb', '{"schema": 1}');
    expect(bad.status).toBe(422);
    expect((await bad.json()).error).toMatch(/manifest field/);
    const manifest = JSON.parse(await readFile(join(f.stateDir, 'images', 'deb.json'), 'utf8'));
    const wrongName = await put('/api/images/other', JSON.stringify(manifest));
    expect(wrongName.status).toBe(422);
    manifest.variants.x86_64.initrd = { name: 'initrd.gz', sha256: 'c'.repeat(64), size: 5 };
    const missing = await put('/api/images/deb', JSON.stringify(manifest));
    expect(missing.status).toBe(422);
    expect((await missing.json()).error).toMatch(/not on the server/);
  });

  it('stores a valid manifest and scripts use it at once', async () => {
    const data = seeded(300_000, 12);
    expect((await put(`/api/assets/${sha(data)}`, data)).status).toBe(201);
    const manifest = JSON.parse(await readFile(join(f.stateDir, 'images', 'deb.json'), 'utf8'));
    manifest.variants.x86_64.initrd = { name: 'initrd.img', sha256: sha(data), size: data.length };
    expect((await put('/api/images/deb', JSON.stringify(manifest))).status).toBe(201);
    expect(await (await fetch(`${f.url}/ipxe/web-1`)).text()).toContain(`/assets/${sha(data)}/initrd.img`);
  });

  it('never lets a concurrent download see a partial asset while it is uploaded', async () => {
    const data = seeded(6 * 1024 * 1024, 13);
    const hash = sha(data);
    // a slow uploader: 1 MiB every 30 ms, so downloads certainly run while the upload is in flight
    let sent = 0;
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= data.length) return controller.close();
        await new Promise((r) => setTimeout(r, 30));
        controller.enqueue(new Uint8Array(data.subarray(sent, sent + (1 << 20))));
        sent += 1 << 20;
      },
    });
    const upload = fetch(`${f.url}/api/assets/${hash}`, { method: 'PUT', body: slow, headers: auth, duplex: 'half' } as RequestInit);
    const seen: number[] = [];
    let done = false;
    void upload.finally(() => (done = true));
    while (!done) {
      const res = await fetch(`${f.url}/assets/${hash}/blob`);
      if (res.status === 200) {
        const body = new Uint8Array(await res.arrayBuffer());
        expect(sha(body)).toBe(hash);
        seen.push(200);
      } else {
        expect(res.status).toBe(404);
        await res.arrayBuffer();
        seen.push(404);
      }
    }
    expect((await upload).status).toBe(201);
    const after = await fetch(`${f.url}/assets/${hash}/blob`);
    expect(sha(new Uint8Array(await after.arrayBuffer()))).toBe(hash);
    expect(seen).toContain(404);
  });
});
