import { mkdtemp, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { createFakeArchive } from '../mirror/fake-archive.js';
import { createFakeImage } from '../mirror/fake-image.js';
import { createTestKey } from '../mirror/test-key.js';
import type { TestKey } from '../mirror/test-key.js';
import { startUpstream } from '../mirror/upstream-server.js';
import type { UpstreamServer } from '../mirror/upstream-server.js';

let dir: string;
let key: TestKey;
let upstream: UpstreamServer;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    return { code: await runCli(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metalboot-cli-mirror-'));
  key = await createTestKey(dir);
  upstream = await startUpstream((await createFakeArchive(join(dir, 'upstream'), key)).root);
  await createFakeImage(join(dir, 'state'), upstream.url);
  await writeFile(join(dir, 'metalboot.yaml'), [
    'server:', `  state_dir: ${join(dir, 'state')}`, 'images:', '  debian12:', '    type: debian', `    mirror: ${upstream.url}`, '    local_mirror: true',
    '  lk:', '    type: files', '    kernel: ./linux', '    initrd: ./initrd', '',
  ].join('\n'));
});
afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

describe('metalboot mirror (command line)', () => {
  it('builds the mirror under $METALBOOT_CACHE_DIR and prints a JSON summary', async () => {
    vi.stubEnv('METALBOOT_CACHE_DIR', join(dir, 'cache'));
    try {
      const { code, stdout, stderr } = await run(['mirror', 'debian12', '--json', '--keyring', key.keyring, '-c', join(dir, 'metalboot.yaml')]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const summary = JSON.parse(stdout) as { out: string; fetched: { files: number }; missing: string[] };
      expect(summary.out).toBe(join(dir, 'cache', 'mirrors', 'debian12'));
      expect(await readlink(summary.out)).toMatch(/^debian12\.gens\//);
      expect(summary.fetched.files).toBeGreaterThan(0);
      expect(upstream.requests).toContain('dists/bookworm/InRelease');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses an image that is not a Debian installer, as bad usage', async () => {
    const { code, stderr } = await run(['mirror', 'lk', '-c', join(dir, 'metalboot.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/image "lk" is a files image; metalboot mirror builds Debian mirrors only/);
  });

  it('fails with one sentence and a hint when the suite is not signed by the keyring', async () => {
    const { code, stderr } = await run(['mirror', 'debian12', '--out', join(dir, 'elsewhere'), '-c', join(dir, 'metalboot.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^metalboot: .*InRelease carries no valid signature from a key in \/usr\/share\/keyrings\/debian-archive-keyring\.gpg.*\n {2}hint: /);
  });
});
