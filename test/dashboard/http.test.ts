/**
 * The dashboard over plain HTTP (no browser): who gets in, what every page sends as headers, and
 * that actions need the write role and the session's CSRF token. The browser test covers the rest.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../src/dashboard/respond.js';
import { READ_TOKEN, startWorld, WRITE_TOKEN } from './fixture.js';
import type { World } from './fixture.js';

let world: World;
const log: string[] = [];
beforeAll(async () => {
  world = await startWorld({ log });
});
afterAll(async () => {
  await world?.close();
});

const login = async (token: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${world.url}/ui/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ token }) });

/** The session cookie a login sets (name=value). */
const cookieOf = (response: Response): string => response.headers.get('set-cookie')!.split(';')[0]!;

const csrfOf = async (cookie: string, path = '/ui/devices/web-1'): Promise<string> => {
  const page = await (await fetch(`${world.url}${path}`, { headers: { Cookie: cookie } })).text();
  return /name="csrf" value="([^"]+)"/.exec(page)![1]!;
};

describe('dashboard over HTTP', () => {
  it('pages without a session go to the login page; the static files need none', async () => {
    for (const path of ['/ui', '/ui/devices', '/ui/devices/web-1', '/ui/images', '/ui/events', '/ui/stream']) {
      const response = await fetch(`${world.url}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe(path === '/ui' ? '/ui/devices' : '/ui/login');
    }
    const script = await fetch(`${world.url}/ui/static/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${world.url}/ui/static/..%2Fpackage.json`)).status).toBe(404);
  });

  it('a wrong token is refused with 401 and no cookie; the right ones set an HttpOnly, SameSite=Strict cookie on /ui', async () => {
    const wrong = await login('not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('That token is not accepted.');
    for (const token of [WRITE_TOKEN, READ_TOKEN]) {
      const ok = await login(token);
      expect(ok.status).toBe(303);
      const cookie = ok.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^metalboot_session=[A-Za-z0-9_-]{43}; Path=\/ui; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
      expect(cookie).not.toContain(token);
    }
  });

  it('the server log names refused logins and sessions started, never a token or a session id', async () => {
    const before = log.length;
    await login('wrong-token-4455');
    const cookie = cookieOf(await login(WRITE_TOKEN));
    await fetch(`${world.url}/ui/devices`, { headers: { Cookie: cookie } });
    const lines = log.slice(before).join('');
    expect(lines).toContain('dashboard login refused: wrong token');
    expect(lines).toContain('"role":"write","msg":"dashboard login"');
    expect(lines).toContain('"url":"/ui/devices"');
    for (const secret of ['wrong-token-4455', WRITE_TOKEN, cookie.split('=')[1]!]) expect(lines).not.toContain(secret);
  });

  it('a login posted from another site is refused', async () => {
    const response = await login(WRITE_TOKEN, { Origin: 'http://evil.example' });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('every page carries the strict CSP and holds no inline script or style', async () => {
    const cookie = cookieOf(await login(READ_TOKEN));
    for (const path of ['/ui/devices', '/ui/devices/web-1', '/ui/images', '/ui/events', '/ui/login']) {
      const response = await fetch(`${world.url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
      if (path === '/ui/login') {
        expect(response.status).toBe(303); // logged in already
        continue;
      }
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(CSP).toContain("script-src 'self'");
      const body = await response.text();
      expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/);
      expect(body).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
      expect(body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // nothing from another host (no CDN)
    }
  });

  it('re-image needs the CSRF token, and the write role', async () => {
    const post = (cookie: string, form: Record<string, string>): Promise<Response> =>
      fetch(`${world.url}/ui/devices/web-1/reimage`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    const writer = cookieOf(await login(WRITE_TOKEN));
    expect((await post(writer, { confirm: 'yes' })).status).toBe(403);
    expect((await post(writer, { confirm: 'yes', csrf: 'guessed' })).status).toBe(403);
    const reader = cookieOf(await login(READ_TOKEN));
    const readerPage = await (await fetch(`${world.url}/ui/devices/web-1`, { headers: { Cookie: reader } })).text();
    expect(readerPage).not.toContain('/reimage"');
    expect(readerPage).toContain('you are logged in read-only');
    const refused = await post(reader, { confirm: 'yes', csrf: await csrfOf(reader) });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('this session is read-only');
    // nothing reached the provider
    expect(world.sim.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('logging out ends the session on the server', async () => {
    const cookie = cookieOf(await login(WRITE_TOKEN));
    const csrf = await csrfOf(cookie, '/ui/devices');
    const out = await fetch(`${world.url}/ui/logout`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }) });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${world.url}/ui/devices`, { headers: { Cookie: cookie }, redirect: 'manual' })).status).toBe(303);
  });

  it('the live stream sends boot events to a session, and ends once it logged out', async () => {
    const cookie = cookieOf(await login(READ_TOKEN));
    const csrf = await csrfOf(cookie, '/ui/devices');
    const response = await fetch(`${world.url}/ui/stream?device=web-2`, { headers: { Cookie: cookie } });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = async (done: (t: string) => boolean): Promise<boolean> => {
      while (!done(text)) {
        const chunk = await reader.read();
        if (chunk.done) return false;
        text += Buffer.from(chunk.value).toString();
      }
      return true;
    };
    await world.fetchScript('web-2');
    expect(await readUntil((t) => t.includes('event: boot'))).toBe(true);
    const message = JSON.parse(/data: (.*)\n/.exec(text)![1]!) as { device: string; kind: string; phase: string; detail: string; status: { phase: string } };
    expect(message).toMatchObject({ device: 'web-2', kind: 'script', phase: 'script', detail: expect.stringContaining('/ipxe/web-2'), status: { phase: 'script' } });
    await fetch(`${world.url}/ui/logout`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }) });
    const before = text.length;
    await world.fetchScript('web-2');
    expect(await readUntil(() => false)).toBe(false); // the stream ended
    expect(text.slice(before)).not.toContain('event: boot');
  });

  it('the device page shows the served script with its token hidden', async () => {
    const { eventsUrl } = await world.fetchScript('web-2');
    const token = new URL(eventsUrl).searchParams.get('token')!;
    expect(token.length).toBeGreaterThan(8);
    const cookie = cookieOf(await login(READ_TOKEN));
    const page = await (await fetch(`${world.url}/ui/devices/web-2`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain('#!ipxe');
    expect(page).toContain('token=REDACTED');
    expect(page).not.toContain(token);
  });

  it('a QEMU device\'s console tail shows as text, without terminal escapes or tokens', async () => {
    const cookie = cookieOf(await login(READ_TOKEN));
    const without = await (await fetch(`${world.url}/ui/devices/lk-1`, { headers: { Cookie: cookie } })).text();
    expect(without).not.toContain('<h2>Console</h2>');
    // what QEMU's `-serial file:` wrote for a VM of the QEMU provider in this state dir
    const dir = join(world.config.server.stateDir, 'qemu', 'lk-1');
    await mkdir(dir, { recursive: true });
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i}`);
    await writeFile(join(dir, 'ttyS1.log'), `${lines.join('\r\n')}\r\n\x1b[1;32mmetalboot\x1b[0m: <b>up</b> events=http://x/events/lk-1?token=0123456789abcdef\r\n`);
    const page = await (await fetch(`${world.url}/ui/devices/lk-1`, { headers: { Cookie: cookie } })).text();
    const tail = /<pre class="console"[^>]*>([^]*?)<\/pre>/.exec(page)![1]!;
    expect(tail.split('\n')).toHaveLength(40);
    expect(tail).toContain('line 59\nmetalboot: &lt;b&gt;up&lt;/b&gt; events=http://x/events/lk-1?token=REDACTED');
    expect(tail).not.toContain('line 20\n');
    expect(page).not.toContain('0123456789abcdef');
  });
});
