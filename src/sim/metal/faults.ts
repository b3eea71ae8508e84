/** Fault injection for the Metal simulator: rate limits, 5xx, slow answers, dropped connections. */

export type SimOperation = 'listDevices' | 'getDevice' | 'updateDevice' | 'action' | 'createDevice' | 'deleteDevice';

export interface FaultRule {
  /** Which calls it hits (all when omitted). */
  readonly operation?: SimOperation;
  /** For `action`: only this action type (reboot, reinstall, …). */
  readonly actionType?: string;
  /**
   * - `status`: answer `status` (default 500) without doing anything; 429 carries Retry-After.
   * - `drop`: destroy the connection without an answer, without doing anything.
   * - `slow`: wait `delayMs`, then handle the call normally.
   * - `after-effect`: do the call (the action takes effect), then answer `status` — or drop if `drop`.
   */
  readonly kind: 'status' | 'drop' | 'slow' | 'after-effect';
  readonly status?: number;
  /** Retry-After header value (seconds) for 429. */
  readonly retryAfter?: string;
  readonly delayMs?: number;
  readonly drop?: boolean;
  /** How many calls it hits before it is used up (default: every call). */
  readonly times?: number;
}

interface ActiveFault {
  readonly rule: FaultRule;
  remaining: number;
}

export class FaultBox {
  private readonly active: ActiveFault[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    for (const rule of rules) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.active.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The faults that hit this call (consuming one use of each). */
  take(operation: SimOperation, actionType?: string): FaultRule[] {
    const hits: FaultRule[] = [];
    for (const fault of this.active) {
      if (fault.remaining <= 0) continue;
      if (fault.rule.operation !== undefined && fault.rule.operation !== operation) continue;
      if (fault.rule.actionType !== undefined && fault.rule.actionType !== actionType) continue;
      fault.remaining -= 1;
      hits.push(fault.rule);
    }
    return hits;
  }
}
