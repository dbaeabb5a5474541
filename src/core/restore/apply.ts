// Step two of a restore: carry out a plan the user accepted. Writes go in a safe order (ConfigMaps and Secrets,
// AppProjects, Applications, ApplicationSets) with bounded concurrency; 429/5xx/dropped connections are retried
// with backoff, a 409 is resolved by re-reading (and re-checking equality) before updating with the fresh
// resourceVersion. Every entry of the plan gets exactly one result, also when the server disappears half-way or
// the caller cancels, so a rerun (a fresh plan) converges. Prune is opt-in, runs last in a fixed order, and
// deletes nothing when the plan had errors or a write failed.
import { setMaxListeners } from 'node:events';
import { APPLICATION_SET } from '../objects/resources';
import { KubeError, describeError } from '../kube/errors';
import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../objects/kubeObject';
import { mapLimit } from './concurrency';
import { objectToCreate, objectToUpdate } from './desired';
import { comparedShape, jsonEqual, needsOperationStop, objectsEqual } from './equality';
import { formatArgoLine } from './format';
import { typeOfRef } from './liveSet';
import { applyPhases, pruneOrder } from './order';
import { Breaker, DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry';
import { emptyResultCounts, planHasErrors, type ObjectOutcome, type ObjectResult, type PlanEntry, type RestorePlan, type RestoreResult } from './types';

export interface ApplyOptions {
  /** Server-side dry run (`?dryRun=All`): the API server validates every write, nothing is stored. */
  dryRun?: boolean;
  /** Delete the plan's prune candidates (only when the plan has no errors and no write failed). */
  prune?: boolean;
  /** Remove an Application's finalizers before deleting it (Argo CD always does; here it is a separate choice). */
  allowFinalizerStrip?: boolean;
  /** Writes in flight at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; result: ObjectResult }) => void;
  retry?: Partial<RetryPolicy>;
  /** Updates attempted again after a 409 before giving up (default 5). */
  conflictRetries?: number;
}

const isConflict = (e: unknown): boolean => e instanceof KubeError && e.reason === 'conflict';
const isNotFound = (e: unknown): boolean => e instanceof KubeError && e.reason === 'notFound';

interface Outcome {
  outcome: ObjectOutcome;
  error?: string;
  note?: string;
}

export async function applyRestore(client: KubeClient, plan: RestorePlan, options: ApplyOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const dryRun = options.dryRun ?? false;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const conflictRetries = options.conflictRetries ?? 5;
  const signal = options.signal;
  // Every request in flight listens on the caller's signal; more than Node's default of 10 is expected here.
  if (signal) setMaxListeners(Math.max(64, concurrency * 4), signal);
  const breaker = new Breaker();
  const stop = plan.options.stopOperation;
  const override = plan.options.overrideOnConflict;
  const results: Array<ObjectResult | undefined> = new Array(plan.entries.length);
  const total = plan.entries.length;
  let done = 0;

  const record = (index: number, entry: PlanEntry, o: Outcome): void => {
    const detail = o.outcome === 'failed' ? o.error : o.outcome === 'skipped' ? (o.note ?? entry.reason) : undefined;
    const result: ObjectResult = {
      ref: entry.ref,
      action: entry.action,
      outcome: o.outcome,
      ...(o.error ? { error: o.error } : {}),
      ...(o.note ? { note: o.note } : {}),
      line: formatArgoLine(entry.ref, o.outcome, dryRun, detail),
    };
    results[index] = result;
    done++;
    options.onProgress?.({ done, total, result });
  };

  /** Refuses to start an object when the caller cancelled or the server is known gone. */
  const notStartable = (): string | undefined => {
    if (signal?.aborted) return 'cancelled: not attempted';
    if (breaker.tripped) return `not attempted: the server stopped answering (${breaker.tripped})`;
    return undefined;
  };

  const retried = <T>(fn: (mayHaveLanded: boolean) => Promise<T>): Promise<T> => withRetries(fn, policy, signal, breaker);
  const dry = { dryRun, ...(signal ? { signal } : {}) };

  const writeAppSetStatus = async (backup: KubeObject): Promise<string | undefined> => {
    // In a dry run the object was never stored, so there is no /status to write to.
    if (dryRun || backup.kind !== 'ApplicationSet' || backup.status === undefined || backup.status === null) return undefined;
    try {
      await retried(() => client.patchMerge(APPLICATION_SET, backup.metadata!.namespace, backup.metadata!.name!, { status: backup.status }, { ...dry, subresource: 'status' }));
      return undefined;
    } catch (e) {
      return `status not restored: ${describeError(e)}`;
    }
  };

  /** PUT `desired`; on 409 re-read and decide again. */
  const update = async (entry: PlanEntry, desired: KubeObject, planned: KubeObject | undefined, mayHaveLandedBefore: boolean): Promise<Outcome> => {
    const type = typeOfRef(entry.ref);
    const backup = entry.backup!;
    let landed = mayHaveLandedBefore;
    for (let attempt = 0; ; attempt++) {
      try {
        await retried((mayHaveLanded) => {
          landed ||= mayHaveLanded;
          return client.replace(type, entry.ref.namespace, entry.ref.name, desired, dry);
        });
        return { outcome: 'updated' };
      } catch (e) {
        if (!isConflict(e) || attempt >= conflictRetries) throw e;
      }
      const fresh = await retried(() => client.get(type, entry.ref.namespace, entry.ref.name, signal));
      if (!fresh) {
        if (!override) return { outcome: 'failed', error: 'deleted live since the plan; re-plan (or override on conflict)' };
        await retried(() => client.create(type, entry.ref.namespace, objectToCreate(backup, stop), dry));
        const note = await writeAppSetStatus(backup);
        return { outcome: 'created', note: `deleted live since the plan; created again${note ? `; ${note}` : ''}` };
      }
      if (objectsEqual(backup, fresh) && !needsOperationStop(fresh, stop)) {
        return landed ? { outcome: 'updated' } : { outcome: 'unchanged', note: 'already equal to the backup when re-read after a conflict' };
      }
      // Someone else changed what the restore writes (status aside, which controllers rewrite all the time).
      const changedSincePlan = planned !== undefined && !jsonEqual(comparedShape(fresh, false), comparedShape(planned, false));
      if (changedSincePlan && !override) {
        return { outcome: 'failed', error: 'conflict: changed live since the plan; re-plan, or use override on conflict' };
      }
      desired = objectToUpdate(backup, fresh, stop);
    }
  };

  const create = async (entry: PlanEntry): Promise<Outcome> => {
    const type = typeOfRef(entry.ref);
    const backup = entry.backup!;
    let landed = false;
    try {
      await retried((mayHaveLanded) => {
        landed ||= mayHaveLanded;
        return client.create(type, entry.ref.namespace, entry.desired!, dry);
      });
      const note = await writeAppSetStatus(backup);
      return { outcome: 'created', ...(note ? { note } : {}) };
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
    // 409 AlreadyExists: our own earlier attempt, or someone else since the plan.
    const fresh = await retried(() => client.get(type, entry.ref.namespace, entry.ref.name, signal));
    if (!fresh) throw new KubeError('conflict', 'conflict: the object exists and vanished again while creating it; re-plan');
    if (objectsEqual(backup, fresh) && !needsOperationStop(fresh, stop)) {
      return landed ? { outcome: 'created' } : { outcome: 'unchanged', note: 'already present and equal to the backup (created since the plan)' };
    }
    if (!override && !landed) return { outcome: 'failed', error: 'conflict: created live by someone else since the plan; re-plan, or use override on conflict' };
    return update(entry, objectToUpdate(backup, fresh, stop), undefined, landed);
  };

  const writeOne = async (entry: PlanEntry): Promise<Outcome> => {
    const refused = notStartable();
    if (refused) return { outcome: 'failed', error: refused };
    try {
      return entry.action === 'create' ? await create(entry) : await update(entry, entry.desired!, entry.live, false);
    } catch (e) {
      return { outcome: 'failed', error: describeError(e) };
    }
  };

  // Entries that need no write get their result first; writes follow phase by phase.
  const writes: Array<{ entry: PlanEntry; index: number }> = [];
  const prunes: Array<{ entry: PlanEntry; index: number }> = [];
  plan.entries.forEach((entry, index) => {
    switch (entry.action) {
      case 'unchanged':
        return record(index, entry, { outcome: 'unchanged' });
      case 'skip':
        return record(index, entry, { outcome: 'skipped' });
      case 'error':
        return record(index, entry, { outcome: 'failed', error: entry.reason ?? 'error while planning' });
      case 'prune':
        prunes.push({ entry, index });
        return;
      default:
        writes.push({ entry, index });
    }
  });
  for (const phase of applyPhases(writes.map((w) => ({ ...w, ref: w.entry.ref })))) {
    await mapLimit(phase, concurrency, async ({ entry, index }) => record(index, entry, await writeOne(entry)));
  }

  // Prune last, in a fixed order, and only when everything before it went right.
  const failedWrites = results.filter((r) => r?.outcome === 'failed').length;
  let pruneWithheld: string | undefined;
  if (options.prune && prunes.length > 0) {
    if (planHasErrors(plan)) pruneWithheld = 'the plan has errors';
    else if (failedWrites > 0) pruneWithheld = `${failedWrites} object${failedWrites === 1 ? '' : 's'} failed to restore`;
    else if (signal?.aborted) pruneWithheld = 'cancelled';
  }
  const ordered = pruneOrder(prunes.map((p) => ({ ...p, ref: p.entry.ref })));
  if (!options.prune || pruneWithheld) {
    for (const { entry, index } of ordered) record(index, entry, { outcome: 'needsPruning', ...(pruneWithheld ? { note: `not pruned: ${pruneWithheld}` } : {}) });
  } else {
    let kind = '';
    let group: typeof ordered = [];
    const flush = async (): Promise<void> => {
      await mapLimit(group, concurrency, async ({ entry, index }) => record(index, entry, await pruneOne(entry)));
      group = [];
    };
    const pruneOne = async (entry: PlanEntry): Promise<Outcome> => {
      const refused = notStartable();
      if (refused) return { outcome: 'failed', error: refused };
      const type = typeOfRef(entry.ref);
      const live = entry.live!;
      const finalizers = live.metadata?.finalizers ?? [];
      try {
        let note: string | undefined;
        if (entry.ref.kind === 'Application' && finalizers.length > 0) {
          if (options.allowFinalizerStrip) {
            await retried(() => client.patchMerge(type, entry.ref.namespace, entry.ref.name, { metadata: { finalizers: null } }, dry));
            note = `finalizers removed first (${finalizers.join(', ')})`;
          } else note = `deletion pending: finalizers kept (${finalizers.join(', ')})`;
        }
        await retried(() => client.delete(type, entry.ref.namespace, entry.ref.name, { ...dry, ...(live.metadata?.uid ? { uid: live.metadata.uid } : {}) }));
        return { outcome: 'pruned', ...(note ? { note } : {}) };
      } catch (e) {
        if (isNotFound(e)) return { outcome: 'pruned', note: 'already gone' };
        if (isConflict(e)) return { outcome: 'failed', error: 'replaced live since the plan (uid changed): not deleted; re-plan' };
        return { outcome: 'failed', error: describeError(e) };
      }
    };
    for (const p of ordered) {
      if (p.ref.kind !== kind && group.length > 0) await flush();
      kind = p.ref.kind;
      group.push(p);
    }
    await flush();
  }

  const final: ObjectResult[] = results.map(
    (r, i) =>
      r ?? {
        ref: plan.entries[i]!.ref,
        action: plan.entries[i]!.action,
        outcome: 'failed',
        error: 'not attempted',
        line: formatArgoLine(plan.entries[i]!.ref, 'failed', dryRun, 'not attempted'),
      },
  );
  const counts = emptyResultCounts();
  for (const r of final) counts[r.outcome]++;
  return {
    target: plan.target,
    dryRun,
    pruneRequested: options.prune ?? false,
    ...(pruneWithheld ? { pruneWithheld } : {}),
    results: final,
    counts,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}
