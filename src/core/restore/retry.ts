// Retrying what a retry may cure (429, 5xx, a dropped or refused connection, a timeout) with capped exponential
// backoff, and a breaker: once one object has used up its retries because the server is gone, the objects after it
// fail at once with that reason instead of each waiting out its own retries.
import { KubeError, describeError } from '../kube/errors';
import { sleep } from './concurrency';

const RETRYABLE = new Set(['tooManyRequests', 'server', 'network', 'refused', 'timeout']);
/** Reasons that mean the server itself is not there (not a problem with one object). */
const SERVER_GONE = new Set(['network', 'refused', 'timeout', 'dns', 'tls']);

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 4000 };

function isRetryable(e: unknown): boolean {
  return e instanceof KubeError && RETRYABLE.has(e.reason);
}

export class Breaker {
  private reason: string | undefined;

  get tripped(): string | undefined {
    return this.reason;
  }

  /** Trips when an error that used up its retries says the server is gone. */
  record(e: unknown): void {
    if (this.reason === undefined && e instanceof KubeError && SERVER_GONE.has(e.reason)) this.reason = describeError(e);
  }
}

/**
 * Runs `fn` until it succeeds, throws a non-retryable error, or the attempts are used up. `fn` is told whether an
 * earlier attempt may have reached the server (a timeout or a dropped connection after sending), so a create
 * that then meets 409 knows its own earlier attempt may have made the object.
 */
export async function withRetries<T>(
  fn: (earlierAttemptMayHaveLanded: boolean) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  breaker?: Breaker,
): Promise<T> {
  let mayHaveLanded = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(mayHaveLanded);
    } catch (e) {
      if (!isRetryable(e) || attempt >= policy.attempts || signal?.aborted) {
        if (isRetryable(e)) breaker?.record(e);
        throw e;
      }
      if (e instanceof KubeError && (e.reason === 'timeout' || e.reason === 'network' || e.reason === 'server')) mayHaveLanded = true;
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      try {
        await sleep(delay * (0.75 + Math.random() * 0.5), signal);
      } catch {
        throw new KubeError('cancelled', 'cancelled while waiting to retry');
      }
    }
  }
}
