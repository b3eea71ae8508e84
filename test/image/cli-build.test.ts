import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../cli/capture.js';
import { fakeInitrd, put, useTmp } from './helpers.js';

const tmp = useTmp();

describe('metalboot build', () => {
  it('builds into --out and prints the manifest with --json', async () => {
    const dir = await tmp();
    await put(join(dir, 'k'), 'K');
    await put(join(dir, 'i.gz'), await fakeInitrd());
    await put(join(dir, 'metalboot.yaml'), 'images:\n  plain:\n    type: files\n    kernel: k\n    initrd: i.gz\n');
    const io = captureIo();
    const code = await runCli(['build', 'plain', '--config', join(dir, 'metalboot.yaml'), '--out', join(dir, 'out'), '--json'], io.io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(io.out()) as { manifestPath: string; manifest: { name: string; variants: Record<string, unknown> } };
    expect(printed.manifestPath).toBe(join(dir, 'out', 'images', 'plain.json'));
    expect(printed.manifest.name).toBe('plain');
    expect(Object.keys(printed.manifest.variants)).toEqual(['x86_64']);
  });

  it('exits 1 with one sentence naming what to fix', async () => {
    const dir = await tmp();
    await put(join(dir, 'metalboot.yaml'), 'images:\n  plain:\n    type: files\n    kernel: missing-kernel\n    initrd: i.gz\n');
    const io = captureIo();
    const code = await runCli(['build', 'plain', '--config', join(dir, 'metalboot.yaml')], io.io);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/^metalboot: cannot read .*missing-kernel: no such file\n$/);
  });
});
