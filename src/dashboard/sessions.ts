/**
 * Operator sessions, server-side: a random id (the cookie) → role, CSRF token and expiry. Nothing
 * about the token the operator typed is kept. Bounded: past MAX_SESSIONS the oldest goes.
 */
import { randomBytes } from 'node:crypto';

/** `read`: METALBOOT_READ_TOKEN (views); `write`: METALBOOT_TOKEN (views and actions). */
export type Role = 'read' | 'write';

export interface Session {
  readonly id: string;
  readonly role: Role;
  /** Sent back in a hidden field (or X-CSRF-Token) with every POST. */
  readonly csrf: string;
  readonly expires: number;
  /** One message shown on the next page (e.g. the re-image result). */
  flash?: string;
}

export const SESSION_TTL_MS = 8 * 3600_000;
const MAX_SESSIONS = 10_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(role: Role): Session {
    this.prune();
    const session: Session = { id: randomBytes(32).toString('base64url'), role, csrf: randomBytes(24).toString('base64url'), expires: this.now() + SESSION_TTL_MS };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session && session.expires <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  private prune(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (session.expires <= now) this.sessions.delete(id);
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
  }
}
