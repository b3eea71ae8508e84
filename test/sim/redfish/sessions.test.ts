import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../../src/sim/redfish/sessions.js';

describe('simulated sessions', () => {
  it('expire after SessionTimeout seconds without use, and each use restarts the clock', () => {
    let now = 1_000_000;
    const store = new SessionStore([{ username: 'u', password: 'p' }], 30, () => now);
    const session = store.create(store.userFor('u', 'p')!);
    now += 29_000;
    expect(store.byToken(session.token)?.id).toBe(session.id);
    now += 29_000;
    expect(store.byToken(session.token)?.id).toBe(session.id);
    now += 31_000;
    expect(store.byToken(session.token)).toBeUndefined();
    expect(store.sessions.size).toBe(0);
  });

  it('accept only the exact password, and show no token in the resource', () => {
    const store = new SessionStore([{ username: 'u', password: 'p' }], 30);
    expect(store.userFor('u', 'P')).toBeUndefined();
    expect(store.userFor('u', undefined)).toBeUndefined();
    const session = store.create(store.userFor('u', 'p')!);
    expect(JSON.stringify(store.resource(session))).not.toContain(session.token);
  });
});
