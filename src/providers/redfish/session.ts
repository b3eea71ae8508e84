/**
 * Authentication as sushy's SessionOrBasicAuth does it: a Redfish session first (POST to the
 * service root's Links.Sessions with UserName/Password → X-Auth-Token + Location), HTTP Basic when
 * the service offers no session login; a session that expired is opened again once; `logout`
 * deletes it. The token and password live only in this object's memory.
 */
import type { Credentials } from './credentials.js';
import { httpError, messageIdsOf } from './errors.js';
import type { HttpAnswer, HttpOptions } from './http.js';
import { exchange } from './http.js';

export const SERVICE_ROOT = '/redfish/v1/';

export class BmcAuth {
  private token: string | undefined;
  private sessionUri: string | undefined;
  private basic = false;
  private opening: Promise<void> | undefined;

  constructor(private readonly http: HttpOptions, private readonly credentials: () => Credentials, private readonly log: (line: string) => void) {}

  /** 'session' or 'basic' once logged in. */
  get kind(): 'session' | 'basic' | 'none' {
    return this.token ? 'session' : this.basic ? 'basic' : 'none';
  }

  /** Sends a request with authentication; a 401 on a session opens a new one and sends it once more. */
  async send(request: { method: string; path: string; body?: unknown; headers?: Record<string, string>; action: string }): Promise<HttpAnswer> {
    await this.login();
    const answer = await exchange(this.http, { ...request, headers: { ...request.headers, ...this.header() } });
    if (answer.status !== 401 || !this.token) return answer;
    this.log('the BMC session is no longer valid; opening a new one');
    this.token = undefined;
    this.sessionUri = undefined;
    await this.login();
    return exchange(this.http, { ...request, headers: { ...request.headers, ...this.header() } });
  }

  async login(): Promise<void> {
    if (this.token || this.basic) return;
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    await this.opening;
  }

  /** Deletes the session (the BMC keeps few); harmless when there is none. */
  async logout(): Promise<void> {
    const uri = this.sessionUri;
    const token = this.token;
    this.token = undefined;
    this.sessionUri = undefined;
    if (!uri || !token) return;
    const answer = await exchange(this.http, { method: 'DELETE', path: uri, headers: { 'X-Auth-Token': token }, action: 'close the session' }).catch(() => undefined);
    if (answer && answer.status >= 300 && answer.status !== 404) this.log(`closing the BMC session answered HTTP ${answer.status}`);
  }

  private header(): Record<string, string> {
    if (this.token) return { 'X-Auth-Token': this.token };
    const { username, password } = this.credentials();
    return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
  }

  private async open(): Promise<void> {
    const root = await exchange(this.http, { method: 'GET', path: SERVICE_ROOT, action: 'read the service root' });
    const sessions = sessionsPath(root.body);
    if (root.status >= 400 || !sessions) {
      this.log('the BMC offers no session login; using Basic authentication');
      this.basic = true;
      return;
    }
    const { username, password } = this.credentials();
    const answer = await exchange(this.http, { method: 'POST', path: sessions, body: { UserName: username, Password: password }, action: 'log in' });
    const token = answer.headers.get('x-auth-token');
    if (answer.status < 300 && token) {
      this.token = token;
      this.sessionUri = answer.headers.get('location') ?? (answer.body as { '@odata.id'?: string } | undefined)?.['@odata.id'];
      return;
    }
    if (answer.status === 401 || answer.status === 403) {
      throw httpError({ device: this.http.device, action: 'log in', status: answer.status, messageIds: messageIdsOf(answer.body) });
    }
    this.log(`session login answered HTTP ${answer.status}; using Basic authentication`);
    this.basic = true;
  }
}

function sessionsPath(root: unknown): string | undefined {
  const links = (root as { Links?: { Sessions?: { '@odata.id'?: unknown } } } | undefined)?.Links;
  const path = links?.Sessions?.['@odata.id'];
  return typeof path === 'string' && path.startsWith('/') ? path : undefined;
}
