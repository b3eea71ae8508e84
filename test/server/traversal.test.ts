import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './fixture.js';
import type { Fixture } from './fixture.js';
import { rawRequest } from './raw-http.js';

const MARKER = 'TOPSECRET-MARKER';
const LINK_SHA = 'a'.repeat(64);
const DIR_SHA = 'b'.repeat(64);
let f: Fixture;

beforeAll(async () => {
  f = await startFixture();
  await writeFile(join(f.stateDir, 'private.txt'), `${MARKER}\n`);
  await writeFile(join(f.dir, 'outside.txt'), `${MARKER}\n`);
  await symlink(join(f.dir, 'outside.txt'), join(f.stateDir, 'assets', LINK_SHA));
  await mkdir(join(f.stateDir, 'assets', DIR_SHA));
});
afterAll(() => f.close());

describe('nothing outside the asset store is ever served', () => {
  /** Every hostile target and the status it must get: 404, or 400 for a request line node refuses or a malformed %-escape. */
  const hostile = (): [string, number][] => {
    const sha = f.kernel.sha256;
    return [
      ['/assets/../private.txt', 404],
      ['/assets/%2e%2e/private.txt', 404],
      ['/assets/%2E%2E/private.txt', 404],
      ['/assets/%252e%252e/private.txt', 404],
      [`/assets/${sha}/../../private.txt`, 404],
      [`/assets/${sha}/..%2f..%2fprivate.txt`, 404],
      [`/assets/${sha}/..%2F..%2Fprivate.txt`, 404],
      [`/assets/${sha}%2f..%2f..%2fprivate.txt`, 404],
      [`/assets/${sha}/..%5c..%5cprivate.txt`, 404],
      [`/assets/${sha}/..\\..\\private.txt`, 404],
      ['/assets/%2e%2e%2f%2e%2e%2foutside.txt', 404],
      [`/assets/${sha}/..`, 404],
      [`/assets/${sha}/%2e%2e`, 404],
      [`/assets/${sha}/.`, 404],
      [`/assets/${sha}/.hidden`, 404],
      [`/assets/${sha.toUpperCase()}/linux`, 404],
      [`/assets/${sha.slice(1)}/linux`, 404],
      [`/assets/${sha}/linux%00.txt`, 404],
      [`/assets/${sha}%00/linux`, 404],
      [`/assets/${sha}/linux\u0000`, 400],
      ['/assets//etc/passwd', 404],
      ['/assets/%2fetc%2fpasswd/x', 404],
      [`/assets/${sha}/linux/`, 404],
      [`/assets/${sha}/linux/extra`, 404],
      [`/assets/${sha}/linux;/../../private.txt`, 404],
      [`/assets/${sha}`, 404],
      [`/assets/${LINK_SHA}/outside.txt`, 404],
      [`/assets/${DIR_SHA}/x`, 404],
      ['//assets/../private.txt', 404],
      ['/%61ssets/../private.txt', 404],
      ['/private.txt', 404],
      ['/../outside.txt', 404],
      ['http://evil.example/private.txt', 404],
      ['/ipxe/..%2f..%2fprivate.txt', 404],
      ['/preseed/..%2fprivate.txt', 404],
      [`/assets/${sha}/linux%zz`, 400],
    ];
  };

  it('answers every hostile path (at least 20) with its expected status and never the content', async () => {
    const answered: [string, number][] = [];
    for (const [target] of hostile()) {
      const res = await rawRequest(f.url, target);
      expect([400, 404], target).toContain(res.status);
      expect(res.body, target).not.toContain(MARKER);
      expect(res.body, target).not.toContain('root:');
      answered.push([target, res.status]);
    }
    expect(answered).toEqual(hostile());
    expect(answered.length).toBeGreaterThanOrEqual(20);
  });

  it('still serves the real blob (the table would pass trivially if nothing were served)', async () => {
    const res = await rawRequest(f.url, `/assets/${f.kernel.sha256}/linux`, 'HEAD');
    expect(res.status).toBe(200);
  });

  it('does not serve a symlinked blob even when asked by its own hash', async () => {
    const res = await fetch(`${f.url}/assets/${LINK_SHA}/linux`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(MARKER);
  });
});
