/** Kernel arguments are checked where they enter: the config loader, with file:line, field, value and problem. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

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
});
