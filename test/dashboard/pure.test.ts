/** The dashboard's pure parts: escaping, boots and phases, sessions. */
import { describe, expect, it } from 'vitest';
import type { BootEvent } from '../../src/events/types.js';
import { isHttps, sessionCookie } from '../../src/dashboard/cookies.js';
import { escapeHtml, html } from '../../src/dashboard/html.js';
import { bootsOf, nextStatus, phaseOf } from '../../src/dashboard/phases.js';
import type { DeviceStatus } from '../../src/dashboard/phases.js';
import { SESSION_TTL_MS, SessionStore } from '../../src/dashboard/sessions.js';
import { timeline } from '../../src/dashboard/pages/timeline.js';

let id = 0;
const at = (seconds: number, event: Omit<BootEvent, 'id' | 'time' | 'device'>): BootEvent =>
  ({ id: ++id, device: 'web-1', time: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString(), ...event });

describe('html', () => {
  it('escapes every interpolated value, nested arrays included, and keeps Html as is', () => {
    const hostile = '<script>alert("x")</script>&\'';
    expect(html`<td title="${hostile}">${[hostile, html`<b>${hostile}</b>`]}</td>`.text).toBe(
      `<td title="${escapeHtml(hostile)}">${escapeHtml(hostile)}<b>${escapeHtml(hostile)}</b></td>`,
    );
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(html`${undefined}${null}${false}${0}`.text).toBe('0');
  });
});

describe('boots and phases', () => {
  it('a script fetch starts a boot; events move it through the phases; other assets do not', () => {
    const events = [
      at(0, { kind: 'phone-home', state: 'booted' }),
      at(10, { kind: 'script' }), at(11, { kind: 'kernel' }), at(12, { kind: 'asset' }), at(13, { kind: 'initrd' }),
      at(20, { kind: 'preseed' }), at(21, { kind: 'phone-home', state: 'running' }), at(90, { kind: 'phone-home', state: 'succeeded' }),
      at(100, { kind: 'script' }), at(101, { kind: 'phone-home', state: 'failed', message: 'no disk' }),
    ];
    const boots = bootsOf(events);
    expect(boots.map((b) => b.phases.map((p) => p.phase))).toEqual([['booted'], ['script', 'kernel', 'initrd', 'installer', 'installed'], ['script', 'failed']]);
    expect(boots[1]!.phases[3]).toEqual({ phase: 'installer', start: events[5]!.time, end: events[7]!.time });
    expect(phaseOf({ kind: 'asset' })).toBeUndefined();
    let status;
    for (const event of events) status = nextStatus(status, event);
    expect(status).toEqual({ phase: 'failed', since: events[9]!.time, eventId: events[9]!.id });
  });

  it('a timeline has one bar and one list item per phase, inside its width', () => {
    const boot = bootsOf([at(0, { kind: 'script' }), at(1, { kind: 'kernel' }), at(5, { kind: 'phone-home', state: 'booted' })])[0]!;
    const text = timeline(boot).text;
    const rects = [...text.matchAll(/<rect class="bar phase-(\w+)" x="(\d+)" y="0" width="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(rects.map((r) => r[0])).toEqual(['script', 'kernel', 'booted']);
    for (const [, x, width] of rects) expect((x as number) + (width as number)).toBeLessThanOrEqual(600);
    expect([...text.matchAll(/<li data-phase="(\w+)"/g)].map((m) => m[1])).toEqual(['script', 'kernel', 'booted']);
  });
});

describe('sessions', () => {
  it('ids and CSRF tokens are random and long; a session expires', () => {
    let now = 0;
    const store = new SessionStore(() => now);
    const a = store.create('write');
    const b = store.create('read');
    expect(a.id).not.toBe(b.id);
    expect(a.id.length).toBeGreaterThanOrEqual(43);
    expect(a.csrf).not.toBe(a.id);
    expect(store.get(a.id)).toBe(a);
    expect(store.get('guess')).toBeUndefined();
    now = SESSION_TTL_MS;
    expect(store.get(a.id)).toBeUndefined();
  });
});

describe('the session cookie', () => {
  it('is Secure over https: a TLS socket, or a trusted proxy saying so', () => {
    expect(sessionCookie('abc', { secure: true, maxAgeSeconds: 60 })).toBe('metalboot_session=abc; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=60; Secure');
    const req = (encrypted: boolean, proto?: string) => ({ socket: { encrypted }, headers: proto ? { 'x-forwarded-proto': proto } : {} }) as never;
    expect(isHttps(req(true), false)).toBe(true);
    expect(isHttps(req(false, 'https'), true)).toBe(true);
    expect(isHttps(req(false, 'https'), false)).toBe(false); // an untrusted client cannot claim it
    expect(isHttps(req(false, 'http'), true)).toBe(false);
  });
});

describe('rendered pages (golden)', () => {
  const yaml = `server:\n  state_dir: /tmp/golden-state\nimages:\n  deb:\n    type: files\n    kernel: /srv/linux\n    initrd: /srv/initrd.gz\ndevices:\n  web-1:\n    image: deb\n    macs: ["b4:96:91:aa:bb:01", "b4:96:91:aa:bb:02"]\n  db-7:\n    image: deb\n    macs: ["b4:96:91:aa:bb:07"]\n`;
  const now = Date.UTC(2026, 0, 1, 0, 2, 0);

  it('the devices page and a device\'s history', async () => {
    const { parseConfig } = await import('../../src/config/load.js');
    const { devicesPage } = await import('../../src/dashboard/pages/devices.js');
    const { historyFragment } = await import('../../src/dashboard/pages/device.js');
    const config = parseConfig(yaml, '/etc/metalboot.yaml');
    id = 100;
    const events = [
      at(0, { kind: 'script', path: '/ipxe/web-1', bytes: 900 }), at(2, { kind: 'kernel', path: '/assets/ab/linux', bytes: 4096 }),
      at(3, { kind: 'initrd', path: '/assets/cd/initrd.gz', bytes: 8192 }), at(30, { kind: 'phone-home', state: 'running', message: 'x <b>y</b>' }),
      at(60, { kind: 'phone-home', state: 'installed', message: 'done', facts: { kernel: '6.1', url: '/events/web-1?token=abc' } }),
    ];
    let status: DeviceStatus | undefined;
    for (const event of events) status = nextStatus(status, event);
    const devices = devicesPage({ config, status: (name) => (name === 'web-1' ? status : undefined), provider: undefined, filter: {}, now }).text;
    await expect(devices).toMatchFileSnapshot('../golden/dashboard/devices.html');
    await expect(historyFragment(events, 'console line <1>', now).text).toMatchFileSnapshot('../golden/dashboard/device-history.html');
  });
});
