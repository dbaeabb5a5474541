// Step two of a restore: carry out a plan the user accepted, in phases. (1) Entries that need no write get their
// result at once. (2) Writes go in a safe order (ConfigMaps and Secrets, AppProjects, Applications,
// ApplicationSets) with bounded concurrency (applyWrite.ts: retries, 409 handling). (3) Prune is opt-in, runs
// last in a fixed order, and deletes nothing when the plan had errors or a write failed (applyPrune.ts).
// (4) Every entry of the plan gets exactly one result, also when the server disappears half-way or the caller
// cancels, so a rerun (a fresh plan) converges.
import type { KubeClient } from '../kube/client';
import { ApplyContext, type IndexedEntry } from './applyContext';
import { prunePhase } from './applyPrune';
import { writeOne } from './applyWrite';
import { mapLimit } from './concurrency';
import { formatArgoLine } from './format';
import { applyPhases } from './order';
import type { RetryPolicy } from './retry';
import { emptyResultCounts, type ObjectResult, type RestorePlan, type RestoreResult } from './types';

export interface ApplyOptions {
  /** Server-side dry run (`?dryRun=All`): the API server validates every write, nothing is stored. */
  dryRun?: boolean;
  /** Delete the plan's prune candidates (only when the plan has no errors and no write failed). */
  prune?: boolean;
  /** Remove an Application's finalizers before deleting it (Argo CD always does; here it is a separate choice). */
  allowFinalizerStrip?: boolean;
  /** Requests in flight at once, fixed. Default: chosen from the server's answers (adaptiveLimit.ts), 8 up to 32. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; result: ObjectResult }) => void;
  retry?: Partial<RetryPolicy>;
  /** Updates attempted again after a 409 before giving up (default 5). */
  conflictRetries?: number;
}

export async function applyRestore(client: KubeClient, plan: RestorePlan, options: ApplyOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const ctx = new ApplyContext(client, plan, options);
  const { writes, prunes } = recordEntriesWithoutWrites(ctx);
  await writePhases(ctx, writes);
  const pruneWithheld = await prunePhase(ctx, prunes);
  const results = completeResults(ctx);
  const counts = emptyResultCounts();
  for (const r of results) counts[r.outcome]++;
  return {
    target: plan.target,
    dryRun: ctx.dryRun,
    pruneRequested: options.prune ?? false,
    ...(pruneWithheld ? { pruneWithheld } : {}),
    results,
    counts,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    concurrency: { adaptive: options.concurrency === undefined, lowest: ctx.limit.lowest, highest: ctx.limit.highest, last: ctx.limit.current },
  };
}

/** Phase 1: unchanged, skipped and planning errors get their result now; returns the writes and the prunes. */
function recordEntriesWithoutWrites(ctx: ApplyContext): { writes: IndexedEntry[]; prunes: IndexedEntry[] } {
  const writes: IndexedEntry[] = [];
  const prunes: IndexedEntry[] = [];
  ctx.plan.entries.forEach((entry, index) => {
    switch (entry.action) {
      case 'unchanged':
        return ctx.record(index, entry, { outcome: 'unchanged' });
      case 'skip':
        return ctx.record(index, entry, { outcome: 'skipped' });
      case 'error':
        return ctx.record(index, entry, { outcome: 'failed', error: entry.reason ?? 'error while planning' });
      case 'prune':
        prunes.push({ entry, index });
        return;
      default:
        writes.push({ entry, index });
    }
  });
  return { writes, prunes };
}

/** Phase 2: the writes, kind group after kind group; a group starts only when the one before it has finished. */
async function writePhases(ctx: ApplyContext, writes: readonly IndexedEntry[]): Promise<void> {
  for (const phase of applyPhases(writes.map((w) => ({ ...w, ref: w.entry.ref })))) {
    ctx.limit.newPhase();
    await mapLimit(phase, ctx.maxInFlight, async ({ entry, index }) => ctx.record(index, entry, await writeOne(ctx, entry)));
  }
}

/** Phase 4: an entry nothing recorded (it cannot happen unless a phase was cut short) is a failure, never missing. */
function completeResults(ctx: ApplyContext): ObjectResult[] {
  return ctx.results.map((r, i) => {
    if (r) return r;
    const entry = ctx.plan.entries[i]!;
    return { ref: entry.ref, action: entry.action, outcome: 'failed', error: 'not attempted', line: formatArgoLine(entry.ref, 'failed', ctx.dryRun, 'not attempted') };
  });
}
