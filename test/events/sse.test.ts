import { describe, expect, it } from 'vitest';
import { formatSse, SseParser } from '../../src/events/sse.js';

describe('SseParser', () => {
  it('parses messages split across arbitrary chunks, with ids, events, comments and CRLF', () => {
    const text = `: hello\r\n\r\n${formatSse('boot', '{"id":1}', 1)}id: 2\nevent: boot\ndata: a\ndata: b\n\ndata: plain\n\n`;
    for (const size of [1, 2, 5, 1000]) {
      const parser = new SseParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      expect(out, `chunk ${size}`).toEqual([
        { id: '1', event: 'boot', data: '{"id":1}' },
        { id: '2', event: 'boot', data: 'a\nb' },
        { id: '2', event: 'message', data: 'plain' },
      ]);
    }
  });

  it('holds back an unterminated message', () => {
    const parser = new SseParser();
    expect(parser.push('event: boot\ndata: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: undefined, event: 'boot', data: 'x' }]);
  });
});
