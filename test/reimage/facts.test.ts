import { describe, expect, it } from 'vitest';
import { describeFacts } from '../../src/reimage/facts.js';
import { stripControl } from '../../src/util/control.js';

describe('describeFacts (the booted line of reimage --wait)', () => {
  it('strips control characters and escape sequences from what the device says, and bounds each value', () => {
    const line = describeFacts({ hostname: 'web-1\u001b[2J\u0007\r\nevil', kernel: 'k'.repeat(500), bond: { mode: '\u009b31m802.3ad' } });
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(line).toContain('host web-1[2J evil');
    expect(line).toContain(`kernel ${'k'.repeat(120)}…`);
    expect(line).toContain('bond0 31m802.3ad');
  });

  it('ignores values of the wrong shape instead of printing [object Object]', () => {
    expect(describeFacts({ hostname: { a: 1 }, bond: [1, 2], addresses: 'x' })).toBe('');
  });

  it('stripControl keeps tabs and newlines, drops the rest of C0, DEL and C1', () => {
    expect(stripControl('a\tb\nc\u0000d\u001be\u007ff\u0085g')).toBe('a\tb\ncdefg');
  });
});
