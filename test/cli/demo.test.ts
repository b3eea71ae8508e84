import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from './capture.js';

describe('metalboot demo', () => {
  it('refuses --full with --installer before it installs or starts anything, and says why', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['demo', '--full', '--installer'], io)).toBe(2);
    expect(err()).toContain('--full and --installer are exclusive');
  });

  it('--help teaches --full: the image-based install, its phases, which CLI it runs', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['demo', '--help'], io)).toBe(0);
    expect(out()).toContain('--full');
    expect(out()).toContain('disk image write');
    expect(out()).toContain('newer than src/');
  });
});
