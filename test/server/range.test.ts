import { describe, expect, it } from 'vitest';
import { etagMatches, parseRange } from '../../src/server/range.js';
import { redactUrl } from '../../src/server/logging.js';
import { parseListen } from '../../src/server/run.js';

describe('parseRange', () => {
  const cases: [string | undefined, number, ReturnType<typeof parseRange>][] = [
    [undefined, 10, { kind: 'full' }],
    ['bytes=0-4', 10, { kind: 'partial', start: 0, end: 4 }],
    ['bytes=5-', 10, { kind: 'partial', start: 5, end: 9 }],
    ['bytes=-3', 10, { kind: 'partial', start: 7, end: 9 }],
    ['bytes=-30', 10, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=8-100', 10, { kind: 'partial', start: 8, end: 9 }],
    ['bytes=10-', 10, { kind: 'unsatisfiable' }],
    ['bytes=-0', 10, { kind: 'unsatisfiable' }],
    ['bytes=0-0', 0, { kind: 'unsatisfiable' }],
    ['bytes=5-2', 10, { kind: 'full' }],
    ['bytes=0-1,3-4', 10, { kind: 'full' }],
    ['bytes=-', 10, { kind: 'full' }],
    ['lines=0-1', 10, { kind: 'full' }],
  ];
  for (const [header, size, expected] of cases) {
    it(`${String(header)} of ${size} bytes → ${expected.kind}`, () => expect(parseRange(header, size)).toEqual(expected));
  }
});

describe('etagMatches', () => {
  it('matches the exact tag, a list holding it, a weak form of it and *', () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('"b" , "a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(etagMatches('"b"', '"a"')).toBe(false);
    expect(etagMatches(undefined, '"a"')).toBe(false);
  });
});

describe('redactUrl', () => {
  it('hides the values of token-like query parameters only', () => {
    expect(redactUrl('/preseed/a.cfg?token=abc&x=1')).toBe('/preseed/a.cfg?token=[redacted]&x=1');
    expect(redactUrl('/events/a?x=1&TOKEN=abc')).toBe('/events/a?x=1&TOKEN=[redacted]');
    expect(redactUrl('/ipxe/token=abc')).toBe('/ipxe/token=abc');
  });
});

describe('parseListen', () => {
  it('reads HOST:PORT, [v6]:PORT and :PORT, and names the flag when wrong', () => {
    expect(parseListen('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen(':80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(() => parseListen('8080')).toThrow(/--listen "8080" is not HOST:PORT/);
    expect(() => parseListen('a:70000')).toThrow(/--listen/);
  });
});
