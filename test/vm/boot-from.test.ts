import { describe, expect, it } from 'vitest';
import { bootFirst } from '../../src/vm/boot-from.js';

describe('bootFirst (what a Metal server\'s firmware tries first)', () => {
  it.each([
    [{ alwaysPxe: true, afterReimage: false }, 'network'],
    [{ alwaysPxe: false, afterReimage: true }, 'network'],
    [{ alwaysPxe: true, afterReimage: true }, 'network'],
    [{ alwaysPxe: false, afterReimage: false }, 'disk'],
  ] as const)('%o → %s', (input, expected) => {
    expect(bootFirst(input)).toBe(expected);
  });
});
