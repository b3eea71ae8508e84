/** What the simulator's handlers share: state, profile, schemas, and the helpers that build answers. */
import type { FaultBox } from './faults.js';
import type { ExtendedInfo, MessageKey } from './messages.js';
import { errorBody, messageOf } from './messages.js';
import type { Quirks } from './profiles.js';
import type { SchemaStore } from './schema-store.js';
import type { SessionStore } from './sessions.js';
import type { TaskStore } from './tasks.js';
import type { SimWorld } from './world.js';

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SimContext {
  readonly world: SimWorld;
  readonly sessions: SessionStore;
  readonly tasks: TaskStore;
  readonly quirks: Quirks;
  readonly store: SchemaStore;
  readonly faults: FaultBox;
  /** Requests a correct client never sends, and answers that broke the schemas. */
  readonly violations: string[];
}

export function fail(status: number, key: MessageKey, args: readonly string[] = [], headers?: Record<string, string>): Reply {
  return { status, body: errorBody([messageOf(key, args)]), ...(headers ? { headers } : {}) };
}

export function failWith(status: number, messages: readonly ExtendedInfo[]): Reply {
  return { status, body: errorBody(messages) };
}
