// Writing one planned object: POST a create, PUT an update, and resolve a 409 by re-reading (and re-checking
// equality) before updating with the fresh resourceVersion. An ApplicationSet's status goes through /status after
// it is created. Whether an earlier attempt may have landed (a lost answer) decides between "created" and
// "someone else made it".
import { APPLICATION_SET } from '../objects/resources';
import { KubeError, describeError } from '../kube/errors';
import type { KubeObject } from '../objects/kubeObject';
import type { ApplyContext, Outcome } from './applyContext';
import { objectToCreate, objectToUpdate } from './desired';
import { comparedShape, jsonEqual, needsOperationStop, objectsEqual } from './equality';
import { typeOfRef } from './liveSet';
import type { PlanEntry } from './types';

export const isConflict = (e: unknown): boolean => e instanceof KubeError && e.reason === 'conflict';

/** Creates or updates one entry; never throws (a failure is an outcome). */
export async function writeOne(ctx: ApplyContext, entry: PlanEntry): Promise<Outcome> {
  const refused = ctx.notStartable();
  if (refused) return { outcome: 'failed', error: refused };
  try {
    return entry.action === 'create' ? await createObject(ctx, entry) : await updateObject(ctx, entry, entry.desired!, entry.live, false);
  } catch (e) {
    return { outcome: 'failed', error: describeError(e) };
  }
}

/** An ApplicationSet's status, written through /status after the create; the note says when it was not. */
async function writeAppSetStatus(ctx: ApplyContext, backup: KubeObject): Promise<string | undefined> {
  // In a dry run the object was never stored, so there is no /status to write to.
  if (ctx.dryRun || backup.kind !== 'ApplicationSet' || backup.status === undefined || backup.status === null) return undefined;
  try {
    await ctx.retried(() => ctx.client.patchMerge(APPLICATION_SET, backup.metadata!.namespace, backup.metadata!.name!, { status: backup.status }, { ...ctx.dry, subresource: 'status' }));
    return undefined;
  } catch (e) {
    return `status not restored: ${describeError(e)}`;
  }
}

async function createObject(ctx: ApplyContext, entry: PlanEntry): Promise<Outcome> {
  const type = typeOfRef(entry.ref);
  const backup = entry.backup!;
  let landed = false;
  try {
    await ctx.retried((mayHaveLanded) => {
      landed ||= mayHaveLanded;
      return ctx.client.write('POST', type, entry.ref.namespace, undefined, entry.desired!, ctx.dry);
    });
    const note = await writeAppSetStatus(ctx, backup);
    return { outcome: 'created', ...(note ? { note } : {}) };
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
  // 409 AlreadyExists: our own earlier attempt, or someone else since the plan.
  const fresh = await ctx.retried(() => ctx.client.get(type, entry.ref.namespace, entry.ref.name, ctx.signal));
  if (!fresh) throw new KubeError('conflict', 'conflict: the object exists and vanished again while creating it; re-plan');
  if (objectsEqual(backup, fresh) && !needsOperationStop(fresh, ctx.stop)) {
    return landed ? { outcome: 'created' } : { outcome: 'unchanged', note: 'already present and equal to the backup (created since the plan)' };
  }
  if (!ctx.override && !landed) return { outcome: 'failed', error: 'conflict: created live by someone else since the plan; re-plan, or use override on conflict' };
  return updateObject(ctx, entry, objectToUpdate(backup, fresh, ctx.stop), undefined, landed);
}

/** PUT `desired`; on 409 re-read and decide again. `planned` is the live object the plan saw (none after a create). */
async function updateObject(ctx: ApplyContext, entry: PlanEntry, desired: KubeObject, planned: KubeObject | undefined, mayHaveLandedBefore: boolean): Promise<Outcome> {
  const type = typeOfRef(entry.ref);
  const backup = entry.backup!;
  let landed = mayHaveLandedBefore;
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.retried((mayHaveLanded) => {
        landed ||= mayHaveLanded;
        return ctx.client.write('PUT', type, entry.ref.namespace, entry.ref.name, desired, ctx.dry);
      });
      return { outcome: 'updated' };
    } catch (e) {
      if (!isConflict(e) || attempt >= ctx.conflictRetries) throw e;
    }
    const fresh = await ctx.retried(() => ctx.client.get(type, entry.ref.namespace, entry.ref.name, ctx.signal));
    if (!fresh) {
      if (!ctx.override) return { outcome: 'failed', error: 'deleted live since the plan; re-plan (or override on conflict)' };
      await ctx.retried(() => ctx.client.write('POST', type, entry.ref.namespace, undefined, objectToCreate(backup, ctx.stop), ctx.dry));
      const note = await writeAppSetStatus(ctx, backup);
      return { outcome: 'created', note: `deleted live since the plan; created again${note ? `; ${note}` : ''}` };
    }
    if (objectsEqual(backup, fresh) && !needsOperationStop(fresh, ctx.stop)) {
      return landed ? { outcome: 'updated' } : { outcome: 'unchanged', note: 'already equal to the backup when re-read after a conflict' };
    }
    // Someone else changed what the restore writes (status aside, which controllers rewrite all the time).
    const changedSincePlan = planned !== undefined && !jsonEqual(comparedShape(fresh, false), comparedShape(planned, false));
    if (changedSincePlan && !ctx.override) {
      return { outcome: 'failed', error: 'conflict: changed live since the plan; re-plan, or use override on conflict' };
    }
    desired = objectToUpdate(backup, fresh, ctx.stop);
  }
}
