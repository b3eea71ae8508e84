import { describe, expect, it } from 'vitest';
import { decideAssetAnswer, selectRange } from '../../src/server/conditional.js';

describe('selectRange', () => {
  const cases: [string | undefined, number, ReturnType<typeof selectRange>][] = [
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
    it(`${String(header)} of ${size} bytes → ${expected.kind}`, () => expect(selectRange(header, size)).toEqual(expected));
  }
});

describe('decideAssetAnswer', () => {
  const etag = '"a"';
  const answer = (headers: Record<string, string>): number => decideAssetAnswer(headers, etag, 10).status;

  it('answers 304 to If-None-Match naming the exact tag, a list holding it, a weak form of it or *', () => {
    expect(answer({ 'if-none-match': '"a"' })).toBe(304);
    expect(answer({ 'if-none-match': '"b" , "a"' })).toBe(304);
    expect(answer({ 'if-none-match': 'W/"a"' })).toBe(304);
    expect(answer({ 'if-none-match': '*' })).toBe(304);
    expect(answer({ 'if-none-match': '"b"' })).toBe(200);
    expect(answer({})).toBe(200);
    expect(answer({ 'if-none-match': '"a"', 'cache-control': 'no-cache' })).toBe(304);
  });

  it('answers 412 to If-Match naming only other tags, compared strongly, before anything else', () => {
    expect(answer({ 'if-match': '"b"' })).toBe(412);
    expect(answer({ 'if-match': 'W/"a"' })).toBe(412);
    expect(answer({ 'if-match': '"b"', 'if-none-match': '"a"', range: 'bytes=0-1' })).toBe(412);
    expect(answer({ 'if-match': '"b", "a"' })).toBe(200);
    expect(answer({ 'if-match': '*' })).toBe(200);
    expect(decideAssetAnswer({ 'if-match': '"a"', range: 'bytes=2-3' }, etag, 10)).toEqual({ status: 206, start: 2, end: 3 });
  });

  it('honours a range only when If-Range is absent or names the current tag', () => {
    expect(decideAssetAnswer({ range: 'bytes=2-3', 'if-range': '"a"' }, etag, 10)).toEqual({ status: 206, start: 2, end: 3 });
    expect(decideAssetAnswer({ range: 'bytes=2-3', 'if-range': '"old"' }, etag, 10)).toEqual({ status: 200, start: 0, end: 9 });
    expect(answer({ range: 'bytes=10-' })).toBe(416);
  });
});
