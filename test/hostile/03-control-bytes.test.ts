/**
 * Issue 11, finding 3: phone-home text reached the operator's terminal raw (`\x1b[2J` clears the
 * screen, `\r\n` forges progress lines). Control bytes are stripped on the way in (the route stores
 * none) and on the way out (progress lines). Fails on main: the stored message keeps ESC and CR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgress, formatPhaseLine } from '../../src/reimage/progress.js';
import { stripControl } from '../../src/util/control.js';
import { READ_TOKEN, startFixture } from '../server/fixture.js';
import type { Fixture } from '../server/fixture.js';
import { requestFrom } from './helpers.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const HOSTILE = 'ok\x1b[2J\x1b]0;pwned\x07\r\nweb-1: +  0.1s  succeeded\x9b31m\x00';

describe('phone-home text', () => {
  it('is stored without control bytes, in the message and in the facts (keys too)', async () => {
    const body = JSON.stringify({ state: 'running', message: HOSTILE, facts: { [`k\x1bey`]: [`v\r${HOSTILE}`], nested: { x: HOSTILE } } });
    const post = await requestFrom(`${f.url}/events/web-1?token=${f.token('web-1')}`, { method: 'POST', body });
    expect(post.status).toBe(201);
    const events = JSON.parse((await requestFrom(`${f.url}/api/devices/web-1/events`, { headers: { authorization: `Bearer ${READ_TOKEN}` } })).body) as { message?: string; facts?: unknown }[];
    const stored = events.find((e) => e.message !== undefined)!;
    expect(stored.message).toBe('ok[2J]0;pwned\nweb-1: +  0.1s  succeeded31m');
    expect(JSON.stringify(stored.facts)).not.toMatch(/\\u001b|\\r|\\u009b|\\u0000/);
    expect(Object.keys(stored.facts as object)).toContain('key');
  });

  it('is printed as one line without control bytes (an old event, or a message from elsewhere)', () => {
    const line = formatPhaseLine('web-1', { phase: 'phone-home', at: '', elapsedMs: 100, detail: `running: ${HOSTILE}` });
    expect(line).not.toMatch(CONTROL);
    expect(line).not.toContain('\n');
    const written: string[] = [];
    const progress = createProgress('web-1', { write: (text: string) => written.push(text), isTTY: false });
    progress.info(HOSTILE);
    progress.phase({ phase: 'phone-home', at: '', elapsedMs: 1, detail: HOSTILE });
    for (const text of written) expect(text.replace(/\n$/, '')).not.toMatch(CONTROL);
    for (const text of written) expect(text.replace(/\n$/, '')).not.toContain('\n');
    expect(stripControl('tab\tand\nnewline stay')).toBe('tab\tand\nnewline stay');
  });
});
