// The last phase of an apply: prune candidates deleted in a fixed kind order (ApplicationSets, Applications,
// AppProjects, Secrets), one kind at a time, each delete bound to the uid the plan saw. Withheld entirely when the
// plan had errors, a write failed or the caller cancelled: the entries are then reported as needing pruning.
import { KubeError, describeError } from '../kube/errors';
import type { ApplyContext, IndexedEntry, Outcome } from './applyContext';
import { mapLimit } from './concurrency';
import { isConflict } from './applyWrite';
import { typeOfRef } from './liveSet';
import { pruneOrder } from './order';
import { prunePropagation } from './pruneApplicationSet';
import { planHasErrors, type PlanEntry } from './types';

const isNotFound = (e: unknown): boolean => e instanceof KubeError && e.reason === 'notFound';

/** Why prune must not run now, or undefined. */
function pruneWithheldReason(ctx: ApplyContext): string | undefined {
  if (planHasErrors(ctx.plan)) return 'the plan has errors';
  const failed = ctx.failedCount();
  if (failed > 0) return `${failed} object${failed === 1 ? '' : 's'} failed to restore`;
  if (ctx.signal?.aborted) return 'cancelled';
  return undefined;
}

/** Records a result for every prune entry; deletes only when pruning was asked for and nothing withholds it. */
export async function prunePhase(ctx: ApplyContext, prunes: readonly IndexedEntry[]): Promise<string | undefined> {
  const withheld = ctx.options.prune && prunes.length > 0 ? pruneWithheldReason(ctx) : undefined;
  const ordered = pruneOrder(prunes.map((p) => ({ ...p, ref: p.entry.ref })));
  if (!ctx.options.prune || withheld) {
    for (const { entry, index } of ordered) ctx.record(index, entry, { outcome: 'needsPruning', ...(withheld ? { note: `not pruned: ${withheld}` } : {}) });
    return withheld;
  }
  // One kind at a time, so Applications are gone before the AppProjects they name.
  let group: typeof ordered = [];
  const flush = async (): Promise<void> => {
    await mapLimit(group, ctx.maxInFlight, async ({ entry, index }) => ctx.record(index, entry, await pruneOne(ctx, entry)));
    group = [];
  };
  for (const p of ordered) {
    if (group.length > 0 && p.ref.kind !== group[0]!.ref.kind) await flush();
    group.push(p);
  }
  await flush();
  return undefined;
}

async function pruneOne(ctx: ApplyContext, entry: PlanEntry): Promise<Outcome> {
  const refused = ctx.notStartable();
  if (refused) return { outcome: 'failed', error: refused };
  const type = typeOfRef(entry.ref);
  const live = entry.live!;
  const finalizers = live.metadata?.finalizers ?? [];
  try {
    let note: string | undefined;
    if (entry.ref.kind === 'Application' && finalizers.length > 0) {
      if (ctx.options.allowFinalizerStrip) {
        await ctx.retried(() => ctx.client.patchMerge(type, entry.ref.namespace, entry.ref.name, { metadata: { finalizers: null } }, ctx.dry));
        note = `finalizers removed first (${finalizers.join(', ')})`;
      } else note = `deletion pending: finalizers kept (${finalizers.join(', ')})`;
    }
    const propagationPolicy = prunePropagation(entry.ref.kind); // ApplicationSet: its Applications stay
    if (propagationPolicy) note = 'orphan propagation: the Applications it generated stay';
    await ctx.retried(() => ctx.client.delete(type, entry.ref.namespace, entry.ref.name, { ...ctx.dry, ...(live.metadata?.uid ? { uid: live.metadata.uid } : {}), ...(propagationPolicy ? { propagationPolicy } : {}) }));
    return { outcome: 'pruned', ...(note ? { note } : {}) };
  } catch (e) {
    if (isNotFound(e)) return { outcome: 'pruned', note: 'already gone' };
    if (isConflict(e)) return { outcome: 'failed', error: 'replaced live since the plan (uid changed): not deleted; re-plan' };
    return { outcome: 'failed', error: describeError(e) };
  }
}
