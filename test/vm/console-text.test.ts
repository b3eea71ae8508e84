/** Pure parts of the VM machinery: console text, and which URLs a VM can reach. */
import { describe, expect, it } from 'vitest';
import { consoleText, lastLines } from '../../src/vm/console-text.js';
import { guestPortOf } from '../../src/vm/guest-net.js';

describe('console text', () => {
  it('drops terminal escapes and control bytes, keeps the words of a newt screen', () => {
    const raw = '\x1b[1;24r\x1b[4l\x1b(B\x1b)0\x1b[m\x0f\x1b[H\x1b[J\r\nSelect a language\x1b[10;3H\x1b[0m\x1b(0x\x1b[0m\r\n[    7.1] Run /init as init process\r\n';
    expect(consoleText(raw)).toBe('\nSelect a languagex\n[    7.1] Run /init as init process\n');
  });

  it('keeps the last non-empty lines', () => {
    expect(lastLines('a\n\nb\nc\n\n', 2)).toEqual(['b', 'c']);
  });
});

describe('guest network', () => {
  it('accepts only script URLs on 10.0.2.2 for QEMU-backed devices', () => {
    expect(guestPortOf('http://10.0.2.2:8080/ipxe/web-1')).toBe(8080);
    expect(guestPortOf('http://10.0.2.2/ipxe/web-1')).toBe(80);
    expect(() => guestPortOf('http://127.0.0.1:8080/ipxe/web-1')).toThrow(/only http:\/\/10\.0\.2\.2:PORT/);
    expect(() => guestPortOf('https://10.0.2.2/x')).toThrow(/only http/);
  });
});
