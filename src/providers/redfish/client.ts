/**
 * A Redfish client that survives real BMCs (after sushy's connector and bmclib):
 * - reads are retried with backoff on 5xx and lost connections;
 * - a PATCH keeps the ETag from the read: on 412 it is sent again with the weak tag made strong,
 *   then without If-Match (and later PATCHes start with what worked); on 428 with the ETag read
 *   again (or `*`); 5xx and
 *   UnableToModifyDuringSystemPOST are retried with backoff (a PATCH of absolute values is idempotent);
 * - an action (POST) is never retried here: the caller reads the state and decides;
 * - 202 + Location is followed as a task monitor until it is done.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { RedfishError, httpError, messageIdsOf } from './errors.js';
import type { HttpAnswer } from './http.js';
import type { BmcAuth } from './session.js';

type Json = Record<string, unknown>;

export interface ClientOptions {
  readonly device: string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Retries after the first attempt, for reads and PATCHes. */
  readonly retries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How long a task monitor is followed. */
  readonly taskTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface Resource {
  readonly body: Json;
  readonly etag: string | undefined;
}

export class RedfishClient {
  readonly device: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly taskTimeoutMs: number;
  private readonly log: (line: string) => void;
  /** What this BMC was seen to accept after a 412: the ETag as given, made strong, or no If-Match. */
  private ifMatchMode: 'as-given' | 'strong' | 'none' = 'as-given';

  constructor(private readonly auth: BmcAuth, options: ClientOptions) {
    this.device = options.device;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.random = options.random ?? Math.random;
    this.retries = options.retries ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 15_000;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 300_000;
    this.log = options.log ?? (() => {});
  }

  async get(path: string, action: string): Promise<Resource> {
    const answer = await this.retrying(action, () => this.auth.send({ method: 'GET', path, action }));
    if (answer.status >= 300) throw this.error(action, answer);
    const body = (answer.body ?? {}) as Json;
    const etag = answer.headers.get('etag') ?? (typeof body['@odata.etag'] === 'string' ? body['@odata.etag'] : undefined);
    return { body, etag };
  }

  /** PATCH with If-Match handling; returns the answer or throws a RedfishError with the service's MessageIds. */
  async patch(path: string, body: Json, etag: string | undefined, action: string): Promise<HttpAnswer> {
    let ifMatch = this.ifMatchMode === 'none' ? undefined : this.ifMatchMode === 'strong' ? etag?.replace(/^W\//, '') : etag;
    let dropped = this.ifMatchMode === 'none';
    let refreshed = false;
    for (;;) {
      const headers: Record<string, string> = ifMatch === undefined ? {} : { 'If-Match': ifMatch };
      const answer = await this.retrying(action, () => this.auth.send({ method: 'PATCH', path, body, headers, action }), true);
      if (answer.status === 412 && ifMatch !== undefined && !dropped) {
        if (ifMatch.startsWith('W/')) {
          this.log(`${action}: 412 with the weak ETag ${ifMatch}; sending it again with the tag made strong`);
          ifMatch = ifMatch.slice(2);
        } else {
          this.log(`${action}: 412 with ETag ${ifMatch}; sending it again without If-Match`);
          ifMatch = undefined;
          dropped = true;
        }
        continue;
      }
      if (answer.status === 428 && !refreshed) {
        refreshed = true;
        ifMatch = (await this.get(path, action)).etag ?? '*';
        this.log(`${action}: 428, the BMC wants If-Match; sending it again with ${ifMatch}`);
        continue;
      }
      if (answer.status >= 300) throw this.error(action, answer);
      if (etag !== undefined && ifMatch !== etag) this.ifMatchMode = ifMatch === undefined ? 'none' : ifMatch === '*' ? this.ifMatchMode : 'strong';
      return answer;
    }
  }

  /** POST (an action); never retried. A 202 with Location is followed to its end. */
  async post(path: string, body: Json, action: string): Promise<HttpAnswer> {
    const answer = await this.auth.send({ method: 'POST', path, body, action });
    if (answer.status === 202) return this.followTask(answer, action);
    if (answer.status >= 300) throw this.error(action, answer);
    return answer;
  }

  async close(): Promise<void> {
    await this.auth.logout();
  }

  error(action: string, answer: HttpAnswer): RedfishError {
    return httpError({ device: this.device, action, status: answer.status, messageIds: messageIdsOf(answer.body) });
  }

  private async followTask(accepted: HttpAnswer, action: string): Promise<HttpAnswer> {
    const location = accepted.headers.get('location');
    if (!location) return accepted;
    const deadline = Date.now() + this.taskTimeoutMs;
    let answer = accepted;
    for (let poll = 1; answer.status === 202; poll++) {
      if (Date.now() > deadline) throw this.error(`${action} (task ${location} still running)`, answer);
      const retryAfter = Number(answer.headers.get('retry-after'));
      await this.sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, this.maxDelayMs) : this.backoff(poll));
      answer = await this.retrying(`${action} (task)`, () => this.auth.send({ method: 'GET', path: location, action: `${action} (task)` }));
    }
    const state = (answer.body as { TaskState?: unknown } | undefined)?.TaskState;
    if (answer.status >= 300 || state === 'Exception' || state === 'Killed' || state === 'Cancelled') throw this.error(`${action} (task ${location} ended ${String(state ?? answer.status)})`, answer);
    return answer;
  }

  /** Runs a request; on 5xx, a lost connection or (for PATCH) a system in POST, waits and tries again. */
  private async retrying(action: string, send: () => Promise<HttpAnswer>, isPatch = false): Promise<HttpAnswer> {
    for (let attempt = 1; ; attempt++) {
      let answer: HttpAnswer | undefined;
      let failure: unknown;
      try {
        answer = await send();
      } catch (error) {
        failure = error;
      }
      const busy = answer !== undefined && isPatch && answer.status === 400 && messageIdsOf(answer.body).some((id) => id.endsWith('.UnableToModifyDuringSystemPOST'));
      const lost = answer === undefined && failure instanceof RedfishError && failure.ambiguous;
      const transient = lost || (answer !== undefined && (answer.status >= 500 || busy));
      if (!transient || attempt > this.retries) {
        if (answer === undefined) throw failure;
        return answer;
      }
      const wait = this.backoff(attempt);
      this.log(`${action}: ${answer ? `HTTP ${answer.status}${busy ? ' (the system is in POST)' : ''}` : 'no answer'}; retry ${attempt}/${this.retries} in ${wait} ms`);
      await this.sleep(wait);
    }
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + this.random() * (cap / 2));
  }
}
