// What every phase of an apply shares: the client, the retry policy and breaker, the caller's signal, and the one
// place a result is recorded (so each plan entry gets exactly one, and progress is reported as it happens).
import type { KubeClient } from '../kube/client';
import { AdaptiveLimit, DEFAULT_LIMIT } from './adaptiveLimit';
import { formatArgoLine } from './format';
import { Breaker, DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry';
import type { ObjectOutcome, ObjectResult, PlanEntry, RestorePlan } from './types';
import type { ApplyOptions } from './apply';

export interface Outcome {
  outcome: ObjectOutcome;
  error?: string;
  note?: string;
}

/** One entry of the plan and its position (results keep the plan's order). */
export interface IndexedEntry {
  entry: PlanEntry;
  index: number;
}

export class ApplyContext {
  readonly dryRun: boolean;
  readonly policy: RetryPolicy;
  readonly breaker = new Breaker();
  readonly signal: AbortSignal | undefined;
  readonly stop: boolean;
  readonly override: boolean;
  readonly conflictRetries: number;
  /** What every write sends along: the dry-run flag and the caller's signal. */
  readonly dry: { dryRun: boolean; signal?: AbortSignal };
  readonly results: Array<ObjectResult | undefined>;
  /** Every request of the apply passes through it: fixed at the caller's concurrency, else adaptive. */
  readonly limit: AdaptiveLimit;
  /** The most requests in flight at once (the caller's concurrency, or the adaptive limit's ceiling). */
  readonly maxInFlight: number;
  private done = 0;

  constructor(
    readonly client: KubeClient,
    readonly plan: RestorePlan,
    readonly options: ApplyOptions,
  ) {
    const fixed = options.concurrency !== undefined ? Math.max(1, Math.floor(options.concurrency)) : undefined;
    this.limit = new AdaptiveLimit(fixed !== undefined ? { initial: fixed, max: fixed, adaptive: false } : DEFAULT_LIMIT);
    this.maxInFlight = fixed ?? DEFAULT_LIMIT.max;
    this.dryRun = options.dryRun ?? false;
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.signal = options.signal;
    this.stop = plan.options.stopOperation;
    this.override = plan.options.overrideOnConflict;
    this.conflictRetries = options.conflictRetries ?? 5;
    this.dry = { dryRun: this.dryRun, ...(this.signal ? { signal: this.signal } : {}) };
    this.results = new Array(plan.entries.length);
  }

  record(index: number, entry: PlanEntry, o: Outcome): void {
    const detail = o.outcome === 'failed' ? o.error : o.outcome === 'skipped' ? (o.note ?? entry.reason) : undefined;
    const result: ObjectResult = {
      ref: entry.ref,
      action: entry.action,
      outcome: o.outcome,
      ...(o.error ? { error: o.error } : {}),
      ...(o.note ? { note: o.note } : {}),
      line: formatArgoLine(entry.ref, o.outcome, this.dryRun, detail),
    };
    this.results[index] = result;
    this.done++;
    this.options.onProgress?.({ done: this.done, total: this.plan.entries.length, result });
  }

  /** Why an object must not be started: the caller cancelled or the server is known gone. */
  notStartable(): string | undefined {
    if (this.signal?.aborted) return 'cancelled: not attempted';
    if (this.breaker.tripped) return `not attempted: the server stopped answering (${this.breaker.tripped})`;
    return undefined;
  }

  /** One request through the limit, retried (the backoff waits outside the limit, holding no slot). */
  retried<T>(fn: (mayHaveLanded: boolean) => Promise<T>): Promise<T> {
    return withRetries((mayHaveLanded) => this.limit.run(() => fn(mayHaveLanded)), this.policy, this.signal, this.breaker);
  }

  failedCount(): number {
    return this.results.filter((r) => r?.outcome === 'failed').length;
  }
}
