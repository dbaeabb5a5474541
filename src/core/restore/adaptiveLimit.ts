// How many writes a restore keeps in flight, chosen from what the server answers: every request passes through
// the gate; a round of answers no slower than 1.5 times the phase's best round lets one more in (additive
// increase), a round that takes more than twice as long lets fewer in, and a 429, a 5xx or a timeout halves the
// limit at once. So a
// healthy server gets more work and one that is already struggling gets less. A fixed limit (the caller's
// --concurrency) never moves.
import { KubeError } from '../kube/errors';

/** Answers that say "too much": the limit halves. */
const OVERLOAD = new Set(['tooManyRequests', 'server', 'timeout']);

export interface LimitOptions {
  /** Where the limit starts. */
  initial: number;
  /** The most in flight, ever. */
  max: number;
  /** false: the limit stays at `initial` (an explicit --concurrency). */
  adaptive: boolean;
}

export const DEFAULT_LIMIT: LimitOptions = { initial: 8, max: 32, adaptive: true };

export class AdaptiveLimit {
  private limit: number;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** Answers in the current round (a round: as many answers as the limit was when it began). */
  private round = { count: 0, totalMs: 0, size: 0, overloaded: false };
  private bestRoundMs: number | undefined;
  private rounds = 0;
  /** The lowest and highest limit used (reported by the apply). */
  lowest: number;
  highest: number;

  constructor(private readonly options: LimitOptions) {
    this.limit = Math.max(1, Math.min(options.initial, options.max));
    this.round.size = this.limit;
    this.lowest = this.highest = this.limit;
  }

  get current(): number {
    return this.limit;
  }

  /** A new kind of object costs the server differently: latency is judged against this phase's own best round. */
  newPhase(): void {
    this.bestRoundMs = undefined;
    this.rounds = 0;
    this.round = { count: 0, totalMs: 0, size: this.limit, overloaded: false };
  }

  /** Runs `fn` once a slot is free; its answer (or error) and latency adjust the limit. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    const started = performance.now();
    try {
      const value = await fn();
      this.observe(performance.now() - started, false);
      return value;
    } catch (e) {
      this.observe(performance.now() - started, e instanceof KubeError && OVERLOAD.has(e.reason));
      throw e;
    } finally {
      this.inFlight--;
      this.wake();
    }
  }

  /** Lets waiting callers re-check; each takes a slot itself, one that finds none waits again. */
  private wake(): void {
    for (let free = this.limit - this.inFlight; free > 0 && this.waiting.length > 0; free--) this.waiting.shift()!();
  }

  private observe(ms: number, overloaded: boolean): void {
    if (!this.options.adaptive) return;
    if (overloaded && !this.round.overloaded) {
      // Once per round: the answers still in flight were sent at the old limit.
      this.round.overloaded = true;
      this.setLimit(Math.floor(this.limit / 2));
    }
    this.round.count++;
    this.round.totalMs += ms;
    if (this.round.count < this.round.size) return;
    const meanMs = this.round.totalMs / this.round.count;
    if (!this.round.overloaded) {
      this.rounds++;
      // The best round may drift up slowly (a growing store answers a little slower), never down by much.
      if (this.bestRoundMs !== undefined && this.rounds % 10 === 0) this.bestRoundMs *= 1.1;
      if (this.bestRoundMs === undefined || meanMs < this.bestRoundMs) this.bestRoundMs = meanMs;
      if (meanMs <= this.bestRoundMs * 1.5) this.setLimit(this.limit + 1);
      else if (meanMs > this.bestRoundMs * 2) this.setLimit(Math.floor(this.limit * 0.8));
    }
    this.round = { count: 0, totalMs: 0, size: this.limit, overloaded: false };
  }

  private setLimit(n: number): void {
    this.limit = Math.max(1, Math.min(this.options.max, n));
    this.lowest = Math.min(this.lowest, this.limit);
    this.highest = Math.max(this.highest, this.limit);
    this.wake();
  }
}
