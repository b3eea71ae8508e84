/**
 * Sessions and Basic credentials. A session is created by POST SessionService/Sessions with the
 * user's name and password; its token (X-Auth-Token) expires after `timeoutS` seconds without use.
 * Tokens are compared in constant time and never shown in resources.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ROOT } from './resources.js';

export interface SimUser {
  readonly username: string;
  readonly password: string;
}

export interface SimSession {
  readonly id: string;
  readonly username: string;
  readonly token: string;
  readonly createdAt: string;
  lastUsed: number;
}

export const SESSIONS_PATH = `${ROOT}/SessionService/Sessions`;

export class SessionStore {
  readonly sessions = new Map<string, SimSession>();
  private counter = 0;

  constructor(private readonly users: readonly SimUser[], private readonly timeoutS: number, private readonly now: () => number = Date.now) {}

  get timeout(): number {
    return this.timeoutS;
  }

  /** The user with these credentials, or undefined. */
  userFor(username: unknown, password: unknown): SimUser | undefined {
    if (typeof username !== 'string' || typeof password !== 'string') return undefined;
    return this.users.find((user) => user.username === username && sameText(user.password, password));
  }

  create(user: SimUser): SimSession {
    this.counter += 1;
    const session: SimSession = {
      id: `${this.counter}${randomBytes(4).toString('hex').toUpperCase()}`,
      username: user.username,
      token: randomBytes(24).toString('hex'),
      createdAt: new Date(this.now()).toISOString(),
      lastUsed: this.now(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of a token (its idle time restarts), or undefined when unknown or expired. */
  byToken(token: string): SimSession | undefined {
    this.expire();
    const session = [...this.sessions.values()].find((candidate) => sameText(candidate.token, token));
    if (session) session.lastUsed = this.now();
    return session;
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  resource(session: SimSession): Record<string, unknown> {
    return {
      '@odata.type': '#Session.v1_8_0.Session',
      Id: session.id,
      Name: 'User Session',
      Description: 'Manager User Session',
      UserName: session.username,
      CreatedTime: session.createdAt,
      SessionType: 'Redfish',
      '@odata.id': `${SESSIONS_PATH}/${session.id}`,
    };
  }

  private expire(): void {
    for (const [id, session] of this.sessions) if (this.now() - session.lastUsed > this.timeoutS * 1000) this.sessions.delete(id);
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
