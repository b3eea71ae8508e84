import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from './capture.js';

describe('runCli', () => {
  it('writes commander help to the stdout it is given', async () => {
    const { io, out, err } = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(out()).toContain('Usage: metalboot [options] [command]');
    expect(out()).toContain('reimage');
    expect(err()).toBe('');
  });

  it('writes usage mistakes to the stderr it is given and exits 2', async () => {
    const { io, out, err } = captureIo();
    expect(await runCli(['render', '--no-such-flag'], io)).toBe(2);
    expect(err()).toContain("error: unknown option '--no-such-flag'");
    expect(out()).toBe('');
  });

  it('reads the config location and METALBOOT_DEBUG from the environment it is given', async () => {
    const { io, err } = captureIo({ METALBOOT_CONFIG: '/nonexistent/metalboot.yaml', METALBOOT_DEBUG: '1' });
    expect(await runCli(['render', 'web-1'], io)).toBe(1);
    expect(err()).toContain('metalboot: config file /nonexistent/metalboot.yaml does not exist');
    expect(err()).toMatch(/\n {4}at /); // the stack, printed only under METALBOOT_DEBUG
  });
});

describe('the metalboot process', () => {
  it('stops quietly with 0 when its reader has gone (`metalboot … | head`), without a stack trace', async () => {
    const { execa } = await import('execa');
    const { cliArgv } = await import('../../src/demo/cli-in-netns.js');
    const { file, args } = cliArgv();
    // `true` exits without reading: the CLI's first write meets a closed pipe (EPIPE).
    const command = [file, ...args, 'build', '--help'].map((part) => `'${part}'`).join(' ');
    const result = await execa('bash', ['-c', `${command} | true; echo "status \${PIPESTATUS[0]}" >&2`], { reject: false });
    expect(String(result.stderr)).toBe('status 0');
  }, 60_000);
});
