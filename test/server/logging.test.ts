import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/server/logging.js';

describe('redactUrl', () => {
  it('hides the values of token-like query parameters only', () => {
    expect(redactUrl('/preseed/a.cfg?token=abc&x=1')).toBe('/preseed/a.cfg?token=[redacted]&x=1');
    expect(redactUrl('/events/a?x=1&TOKEN=abc')).toBe('/events/a?x=1&TOKEN=[redacted]');
    expect(redactUrl('/ipxe/token=abc')).toBe('/ipxe/token=abc');
  });
});
