import { describe, expect, it } from 'vitest';
import { parseListen } from '../../src/server/run.js';

describe('parseListen', () => {
  it('reads HOST:PORT, [v6]:PORT and :PORT, and names the flag when wrong', () => {
    expect(parseListen('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen(':80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(() => parseListen('8080')).toThrow(/--listen "8080" is not HOST:PORT/);
    expect(() => parseListen('a:70000')).toThrow(/--listen/);
  });
});
