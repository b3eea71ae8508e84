/** Kernel arguments are checked where they enter: the config loader, with file:line, field, value and problem. */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { addAssetFromFile, writeManifest } from '../../src/image/store.js';
import { runServe } from '../../src/server/run.js';

const FILE = '/srv/metalboot.yaml';
const IMAGE = 'images:\n  deb:\n    type: files\n    kernel: ./linux\n    initrd: ./initrd.gz\n';

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('kernel arguments in metalboot.yaml', () => {
  it.each([
    [
      "a device argument holding ${…} (it loaded, then every script request was a 500)",
      `${IMAGE}devices:\n  web-1:\n    image: deb\n    kernel_args: ['x=\${evil}']\n`,
      `${FILE}:9: devices.web-1.kernel_args[0]: "x=\${evil}" cannot be passed to the kernel through iPXE: it holds "\${…}", which iPXE always expands as a setting (there is no escape for it)`,
    ],
    [
      'an image argument with an unbalanced quote',
      'images:\n  deb:\n    type: files\n    kernel: ./linux\n    initrd: ./initrd.gz\n    kernel_args: [quiet, \'opt="a\']\n',
      `${FILE}:6: images.deb.kernel_args[1]: "opt=\\"a" cannot be passed to the kernel through iPXE: it holds an unbalanced double quote, which would swallow the following arguments`,
    ],
    [
      'kernel_args as one string holding a tab',
      `${IMAGE}devices:\n  web-1:\n    image: deb\n    kernel_args: "quiet a=\\tb"\n`,
      `${FILE}:9: devices.web-1.kernel_args: "a=\\tb" cannot be passed to the kernel through iPXE: it holds a newline, tab or other control character`,
    ],
    [
      'an image console holding ${…}',
      'images:\n  deb:\n    type: files\n    kernel: ./linux\n    initrd: ./initrd.gz\n    console: { x86_64: "console=${tty}" }\n',
      `${FILE}:6: images.deb.console.x86_64: "console=\${tty}" cannot be passed to the kernel through iPXE: it holds "\${…}", which iPXE always expands as a setting (there is no escape for it)`,
    ],
    [
      'a files image cmdline holding a space outside quotes',
      'images:\n  deb:\n    type: files\n    kernel: ./linux\n    initrd: ./initrd.gz\n    cmdline: ["a b"]\n',
      `${FILE}:6: images.deb.cmdline[0]: "a b" cannot be passed to the kernel through iPXE: it holds a space outside a quoted value; the kernel would see two arguments (quote the value: key="a b")`,
    ],
  ])('refuses %s at load time', (_title, text, message) => {
    const error = errorOf(text);
    expect(error.message).toBe(message);
    expect(error.hint).toBe('fix or remove this argument');
  });

  it('loads what iPXE can carry, hostile-looking or not', () => {
    const config = parseConfig(`${IMAGE}devices:\n  web-1:\n    image: deb\n    kernel_args: ['#c', ';', '&&', 'opt="a # b"', 'x=$1', 'console=ttyS0,115200']\n`, FILE);
    expect(config.devices['web-1']!.kernelArgs).toEqual(['#c', ';', '&&', 'opt="a # b"', 'x=$1', 'console=ttyS0,115200']);
  });

  it('a reload (SIGHUP) with such an argument is refused: the server keeps serving the script it had', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metalboot-args-'));
    const stateDir = join(dir, 'state');
    const configFile = join(dir, 'metalboot.yaml');
    const yaml = (args: string): string => `server:\n  listen: 127.0.0.1:0\n  state_dir: ${stateDir}\n${IMAGE}devices:\n  web-1:\n    image: deb\n    kernel_args: ${args}\n`;
    await writeFile(join(dir, 'k'), 'kernel');
    await writeFile(join(dir, 'i'), 'initrd');
    const kernel = await addAssetFromFile(stateDir, join(dir, 'k'), 'linux');
    const initrd = await addAssetFromFile(stateDir, join(dir, 'i'), 'initrd.gz');
    await writeManifest(stateDir, { schema: 1, name: 'deb', type: 'files', installer: false, variants: { x86_64: { arch: 'x86_64', kernel, initrd, compression: 'gzip', cmdline: [] } } });
    await writeFile(configFile, yaml("['x=1']"));
    const serve = await runServe({ configFile }, { env: { METALBOOT_SECRET: 's' }, logger: pino({ level: 'silent' }), say: () => undefined, signals: new EventEmitter() });
    serve.server.context.boots.arm('web-1');
    try {
      await writeFile(configFile, yaml("['x=${evil}']"));
      await serve.reload();
      const response = await fetch(`${serve.server.url}/ipxe/web-1`);
      expect(response.status).toBe(200);
      const script = await response.text();
      expect(script).toMatch(/^kernel \S+ x=1 console=ttyS1,115200n8 /m);
      expect(script).not.toContain('evil');
    } finally {
      await serve.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
