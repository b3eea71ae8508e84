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
  const hostile = (): string[] => {
    const sha = f.kernel.sha256;
    return [
      '/assets/../private.txt',
      '/assets/%2e%2e/private.txt',
      '/assets/%2E%2E/private.txt',
      '/assets/%252e%252e/private.txt',
      `/assets/${sha}/../../private.txt`,
      `/assets/${sha}/..%2f..%2fprivate.txt`,
      `/assets/${sha}/..%2F..%2Fprivate.txt`,
      `/assets/${sha}%2f..%2f..%2fprivate.txt`,
      `/assets/${sha}/..%5c..%5cprivate.txt`,
      `/assets/${sha}/..\\..\\private.txt`,
      '/assets/%2e%2e%2f%2e%2e%2foutside.txt',
      `/assets/${sha}/..`,
      `/assets/${sha}/%2e%2e`,
      `/assets/${sha}/.`,
      `/assets/${sha}/.hidden`,
      `/assets/${sha.toUpperCase()}/linux`,
      `/assets/${sha.slice(1)}/linux`,
      `/assets/${sha}/linux%00.txt`,
      `/assets/${sha}%00/linux`,
      `/assets/${sha}/linux\u0000`,
      '/assets//etc/passwd',
      '/assets/%2fetc%2fpasswd/x',
      `/assets/${sha}/linux/`,
      `/assets/${sha}/linux/extra`,
      `/assets/${sha}/linux;/../../private.txt`,
      `/assets/${sha}`,
      `/assets/${LINK_SHA}/outside.txt`,
      `/assets/${DIR_SHA}/x`,
      '//assets/../private.txt',
      '/%61ssets/../private.txt',
      '/private.txt',
      '/../outside.txt',
      'http://evil.example/private.txt',
      '/ipxe/..%2f..%2fprivate.txt',
      '/preseed/..%2fprivate.txt',
    ];
  };

  it('answers every hostile path (at least 20) with 400 or 404 and never the content', async () => {
    const answered: string[] = [];
    for (const target of hostile()) {
      const res = await rawRequest(f.url, target);
      expect([400, 404], target).toContain(res.status);
      expect(res.body, target).not.toContain(MARKER);
      expect(res.body, target).not.toContain('root:');
      answered.push(target);
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
