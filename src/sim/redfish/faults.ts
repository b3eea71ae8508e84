/**
 * Fault injection for the Redfish simulator. A rule hits the calls of one operation (or all),
 * `times` times (default: every call); per call every delay applies, then the first rule that answers:
 * - `status`: answer `status` (default 500, InternalError) without doing anything;
 * - `post`: a PATCH answers 400 UnableToModifyDuringSystemPOST (the system is in POST) without doing anything;
 * - `delay`: wait `delayMs`, then handle the call normally;
 * - `drop`: close the connection without an answer, without doing anything;
 * - `after-effect`: do the call (a reset takes effect), then answer `status` (default 500).
 * As a string (`--fault`): `KIND[:OPERATION][:TIMES][@MS]`, e.g. `status:patch:2`, `post:patch:3`,
 * `delay:get@1500`, `after-effect:reset:1`, `status:any:1`.
 */
import { MetalbootError } from '../../errors.js';

export const OPERATIONS = ['get', 'patch', 'reset', 'session', 'task', 'delete', 'any'] as const;
export type SimOperation = Exclude<(typeof OPERATIONS)[number], 'any'>;
export const FAULT_KINDS = ['status', 'post', 'delay', 'drop', 'after-effect'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  readonly kind: FaultKind;
  readonly operation?: SimOperation;
  readonly times?: number;
  readonly status?: number;
  readonly delayMs?: number;
}

export class FaultBox {
  private readonly active: { rule: FaultRule; remaining: number }[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    for (const rule of rules) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.active.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The faults that hit this call, each consuming one use: every delay, and the first fault that answers. */
  take(operation: SimOperation): FaultRule[] {
    const hits: FaultRule[] = [];
    for (const fault of this.active) {
      if (fault.remaining <= 0 || (fault.rule.operation !== undefined && fault.rule.operation !== operation)) continue;
      if (fault.rule.kind !== 'delay' && hits.some((hit) => hit.kind !== 'delay')) continue;
      fault.remaining -= 1;
      hits.push(fault.rule);
    }
    return hits;
  }
}

/** `status:patch:2`, `post:patch:3`, `delay:get@1500`, `after-effect:reset`. */
export function parseFault(text: string): FaultRule {
  const match = /^([a-z-]+)(?::([a-z]+))?(?::(\d+))?(?:@(\d+))?$/.exec(text.trim());
  const kind = FAULT_KINDS.find((known) => known === match?.[1]);
  const operation = match?.[2] ?? 'any';
  if (!match || !kind || !(OPERATIONS as readonly string[]).includes(operation)) {
    throw new MetalbootError(`--fault "${text}" is not KIND[:OPERATION][:TIMES][@MS]`, {
      code: 'E_USAGE',
      exitCode: 2,
      hint: `kinds: ${FAULT_KINDS.join(', ')}; operations: ${OPERATIONS.join(', ')}; e.g. status:patch:2, post:patch:3, delay:get@1500, after-effect:reset:1`,
    });
  }
  return {
    kind,
    ...(operation === 'any' ? {} : { operation: operation as SimOperation }),
    ...(match[3] === undefined ? {} : { times: Number(match[3]) }),
    ...(match[4] === undefined ? {} : { delayMs: Number(match[4]) }),
  };
}
