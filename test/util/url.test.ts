import { describe, expect, it } from 'vitest';
import { trimBase } from '../../src/util/url.js';

describe('trimBase', () => {
  it.each([
    ['http://boot.test:8080/', 'http://boot.test:8080'],
    ['http://boot.test/x///', 'http://boot.test/x'],
    ['http://boot.test/x', 'http://boot.test/x'],
    ['/', ''],
    ['/debian/', '/debian'],
  ])('removes every trailing slash of %j and nothing else', (input, expected) => {
    expect(trimBase(input)).toBe(expected);
  });
});
