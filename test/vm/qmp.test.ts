import { describe, expect, it } from 'vitest';
import { shutdownReasonOf } from '../../src/vm/qmp.js';

describe('shutdownReasonOf (QMP event lines)', () => {
  it('reads the reason of a SHUTDOWN event', () => {
    expect(shutdownReasonOf('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-reset"}}')).toBe('guest-reset');
    expect(shutdownReasonOf('{"event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}')).toBe('guest-shutdown');
  });
  it('ignores other events, replies, and lines that are not JSON', () => {
    expect(shutdownReasonOf('{"return": {}}')).toBeUndefined();
    expect(shutdownReasonOf('{"event": "RESET", "data": {"guest": true, "reason": "guest-reset"}}')).toBeUndefined();
    expect(shutdownReasonOf('{"event": "SHUTDOWN", "data": {"reason": 7}}')).toBeUndefined();
    expect(shutdownReasonOf('not json')).toBeUndefined();
  });
});
