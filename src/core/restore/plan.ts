// Step one of a restore: compare every backup object with the live target and decide, without writing anything,
// what apply would do. Nothing is planned from an input that fails the checks (RestoreRefusedError).
import { BACKUP_KINDS, NAMESPACE, resourceTypeOfKind } from '../objects/resources';
import { isHarnessAgentObject } from '../argo/argoFacts';
import { isNamespaceEnabled } from '../argo/namespaces';
import { KubeError, describeError } from '../kube/errors';
import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../objects/kubeObject';
import { refKey } from '../objects/kubeObject';
import { mapLimit } from './concurrency';
import { keepLiveTracking, normalizeBackupObject, objectToCreate, objectToUpdate } from './desired';
import { diffForUpdate } from './diff';
import { needsOperationStop, objectsEqual } from './equality';
import { RestoreRefusedError, type BackupObject } from './input';
import { readEnabledNamespaces, readLiveSet, refOf, type LiveSet } from './liveSet';
import { effectiveOptions, parseSkipLabel, type RestoreOptions } from './options';
import { pruneOrder } from './order';
import { generatedBy, orphanNote } from './pruneApplicationSet';
import { describeFenceWindow, fenceOf, namespaceFence, withTargetFence } from '../syncWindows/fence';
import { windowSignature, windowsOf, type AppProject } from '../syncWindows/model';
import { emptyPlanCounts, type EffectiveRestoreOptions, type PlanEntry, type RestorePlan, type RestoreTarget } from './types';

export interface PlanCallOptions {
  signal?: AbortSignal;
  /** Shown in the plan: the file name, `-`, or `context/namespace` of a live source. */
  sourceLabel?: string;
  /** Parallel GETs for objects the lists did not cover. */
  concurrency?: number;
}

/** Plans from objects that passed the gate (gate.ts), or came from a live source. */
export async function planRestoreObjects(client: KubeClient, objects: readonly BackupObject[], options: RestoreOptions, call: PlanCallOptions = {}): Promise<RestorePlan> {
  const started = Date.now();
  if (objects.length === 0) throw new RestoreRefusedError([{ message: 'the backup is empty: no object to restore (an empty input never means "prune everything")' }]);
  parseSkipLabel(options.skipResourcesWithLabel);
  const warnings: string[] = [];
  const enabledRead =
    options.applicationNamespaces?.length && options.applicationSetNamespaces?.length
      ? { enabled: { applicationNamespaces: [], applicationSetNamespaces: [] } }
      : await readEnabledNamespaces(client, options.namespace, call.signal);
  if (enabledRead.warning) warnings.push(enabledRead.warning);
  const opts = effectiveOptions(options, enabledRead.enabled);

  const backupObjects = objects.map((o) => ({ ...o, object: normalizeBackupObject(o.object, opts.namespace) }));
  const namespacesOf = (kind: string): string[] => [...new Set(backupObjects.filter((o) => o.object.kind === kind).map((o) => o.object.metadata!.namespace!))];
  const live = await readLiveSet(client, {
    namespace: opts.namespace,
    enabled: { applicationNamespaces: opts.applicationNamespaces, applicationSetNamespaces: opts.applicationSetNamespaces },
    backupNamespaces: { applications: namespacesOf('Application'), applicationSets: namespacesOf('ApplicationSet') },
    ...(call.signal ? { signal: call.signal } : {}),
  });
  warnings.push(...live.warnings);

  // Objects outside what the lists covered (e.g. a ConfigMap in an app namespace): read one by one.
  const perObject = new Map<string, string>();
  const uncovered = backupObjects.filter((o) => {
    const type = resourceTypeOfKind(o.object.apiVersion, o.object.kind)!;
    const ns = o.object.metadata!.namespace!;
    return !live.covered(type, ns) && !live.unreadable(type, ns);
  });
  await mapLimit(uncovered, call.concurrency ?? 8, async (o) => {
    const type = resourceTypeOfKind(o.object.apiVersion, o.object.kind)!;
    const key = refKey(refOf(o.object, opts.namespace));
    try {
      const found = await client.get(type, o.object.metadata!.namespace, o.object.metadata!.name!, call.signal);
      if (found) live.byKey.set(key, { ...found, apiVersion: found.apiVersion ?? o.object.apiVersion, kind: found.kind ?? o.object.kind });
    } catch (e) {
      if (e instanceof KubeError && e.reason === 'cancelled') throw e;
      perObject.set(key, describeError(e));
    }
  });

  // A namespace that does not exist makes every create there fail: say so in the plan, once per object.
  const namespaces = [...new Set(backupObjects.map((o) => o.object.metadata!.namespace!))];
  const missing = new Set<string>();
  await mapLimit(namespaces, call.concurrency ?? 8, async (ns) => {
    try {
      if (!(await client.get(NAMESPACE, undefined, ns, call.signal))) missing.add(ns);
    } catch (e) {
      if (e instanceof KubeError && e.reason === 'cancelled') throw e; // forbidden or other: the writes will tell
    }
  });
  for (const o of backupObjects) {
    const ns = o.object.metadata!.namespace!;
    if (missing.has(ns)) perObject.set(refKey(refOf(o.object, opts.namespace)), `namespace ${ns} does not exist on context ${client.context}: create it first (or restore with create namespaces)`);
  }

  const target: RestoreTarget = { context: client.context, server: client.server, namespace: opts.namespace };
  const plan = buildPlan(backupObjects, live, opts, target, perObject);
  const needed = [...missing].filter((ns) => plan.entries.some((e) => e.action === 'error' && e.ref.namespace === ns)).sort();
  if (needed.length) plan.missingNamespaces = needed;
  plan.warnings.unshift(...warnings);
  plan.sourceLabel = call.sourceLabel ?? '';
  plan.durationMs = Date.now() - started;
  return plan;
}

function labelMatches(obj: KubeObject, skip: { key: string; value: string } | undefined): boolean {
  return skip !== undefined && obj.metadata?.labels?.[skip.key] === skip.value;
}

/** The decision for one backup object. Pure: the live object (or the reason it cannot be read) is given. */
export function planEntryFor(
  backup: KubeObject,
  live: KubeObject | undefined,
  opts: EffectiveRestoreOptions,
  readError?: string,
  source?: PlanEntry['source'],
  /** The fence of the target namespace (namespaceFence), for AppProjects the restore creates there. */
  targetFenceProject?: KubeObject,
): PlanEntry {
  const ref = refOf(backup, opts.namespace);
  const base: PlanEntry = { ref, action: 'skip', ...(source ? { source } : {}) };
  const skip = parseSkipLabel(opts.skipResourcesWithLabel);

  if (isHarnessAgentObject(backup)) {
    return { ...base, reason: 'Harness agent object: never restored (it holds the target agent\'s own identity and token)' };
  }
  if (labelMatches(backup, skip)) return { ...base, reason: `has label ${opts.skipResourcesWithLabel} (skip resources with label)` };
  if (backup.kind === 'Application' || backup.kind === 'ApplicationSet') {
    const patterns = backup.kind === 'Application' ? opts.applicationNamespaces : opts.applicationSetNamespaces;
    if (!isNamespaceEnabled(ref.namespace, opts.namespace, patterns)) {
      const key = backup.kind === 'Application' ? 'application.namespaces' : 'applicationsetcontroller.namespaces';
      return { ...base, reason: `namespace ${ref.namespace} is not enabled for ${backup.kind}s in the target (${key} of argocd-cmd-params-cm, or the namespaces option)` };
    }
  } else if (ref.namespace !== opts.namespace) {
    return { ...base, reason: `a restore writes ${backup.kind}s only into the target namespace ${opts.namespace}, not ${ref.namespace}` };
  }
  if (readError) return { ...base, action: 'error', reason: readError, backup };
  if (!live) {
    if (backup.kind === 'AppProject' && targetFenceProject && opts.keepTargetFence) {
      // A new project on a fenced target is fenced too, or its Applications would sync beside the primary's.
      const { project, kept } = withTargetFence(backup as AppProject, targetFenceProject as AppProject);
      if (kept.length) {
        const note = { kept: true, windows: kept.map(describeFenceWindow) };
        return { ...base, action: 'create', desired: objectToCreate(project, opts.stopOperation), backup: project, fence: note, reason: `the target is fenced: created with its ${kept.length} deny window${kept.length === 1 ? '' : 's'} (${note.windows.join('; ')})` };
      }
    }
    return { ...base, action: 'create', desired: objectToCreate(backup, opts.stopOperation), backup };
  }
  if (live.metadata?.deletionTimestamp) {
    return { ...base, action: 'error', reason: `is being deleted live (finalizers: ${(live.metadata.finalizers ?? []).join(', ') || 'none'}); re-plan once it is gone`, live, backup };
  }

  let compared = opts.ignoreTracking ? keepLiveTracking(backup, live) : backup;
  const fence = backup.kind === 'AppProject' ? targetFence(compared, live, opts.keepTargetFence) : undefined;
  if (fence) compared = fence.project;
  const fenceNote = fence?.note ? { fence: fence.note } : {};
  const stop = needsOperationStop(live, opts.stopOperation);
  if (objectsEqual(compared, live) && !stop) return { ...base, action: 'unchanged', live, backup: compared, ...fenceNote, ...(fence?.note ? { reason: fenceReason(fence.note) } : {}) };
  const desired = objectToUpdate(compared, live, opts.stopOperation);
  const compareStatus = backup.kind !== 'Application' || backup.status !== undefined;
  const entry: PlanEntry = { ...base, action: 'update', live, desired, backup: compared, diff: diffForUpdate(live, desired, compareStatus), ...fenceNote };
  if (stop) entry.reason = 'clears the in-flight operation (stop operation)';
  if (fence?.note) entry.reason = fenceReason(fence.note);
  return entry;
}

/** The AppProject to compare with live: the target's fence kept, or (drop-fence) noted as removed. */
function targetFence(backup: KubeObject, live: KubeObject, keep: boolean): { project: KubeObject; note?: { kept: boolean; windows: string[] } } {
  if (keep) {
    const { project, kept } = withTargetFence(backup as AppProject, live as AppProject);
    return { project, ...(kept.length ? { note: { kept: true, windows: kept.map(describeFenceWindow) } } : {}) };
  }
  const inBackup = new Set(windowsOf(backup as AppProject).map(windowSignature));
  const dropped = fenceOf(live as AppProject).filter((f) => !inBackup.has(windowSignature(f.window)));
  return { project: backup, ...(dropped.length ? { note: { kept: false, windows: dropped.map(describeFenceWindow) } } : {}) };
}

function fenceReason(note: { kept: boolean; windows: string[] }): string {
  const n = note.windows.length;
  return note.kept
    ? `the target's fence is kept: ${n} deny window${n === 1 ? '' : 's'} (${note.windows.join('; ')}) stay beside the backup's windows`
    : `DROPS the target's fence: ${n} deny window${n === 1 ? '' : 's'} (${note.windows.join('; ')}) removed, syncs may start`;
}

/** Prune candidates: Argo CD's live set minus what the backup names, in prune order. ConfigMaps are never pruned. */
export function pruneEntriesFor(argoSet: readonly KubeObject[], referenced: ReadonlySet<string>, opts: EffectiveRestoreOptions): PlanEntry[] {
  const skip = parseSkipLabel(opts.skipResourcesWithLabel);
  const entries: PlanEntry[] = [];
  for (const live of argoSet) {
    const ref = refOf(live, opts.namespace);
    if (referenced.has(refKey(ref))) continue;
    if (live.kind === 'ConfigMap') {
      entries.push({ ref, action: 'skip', reason: 'not in the backup; ConfigMaps are never pruned (Argo CD needs all four)', live });
    } else if (isHarnessAgentObject(live)) {
      entries.push({ ref, action: 'skip', reason: 'not in the backup; Harness agent objects are never pruned', live });
    } else if (labelMatches(live, skip)) {
      entries.push({ ref, action: 'skip', reason: `not in the backup; not pruned: has label ${opts.skipResourcesWithLabel}`, live });
    } else if (generatedBy(live)) {
      entries.push({ ref, action: 'skip', reason: `not in the backup; not pruned: generated by ApplicationSet ${generatedBy(live)} (its Applications are never pruned, also when it is)`, live });
    } else {
      const finalizers = live.metadata?.finalizers ?? [];
      const reason =
        live.kind === 'ApplicationSet'
          ? orphanNote(live, argoSet)
          : live.kind === 'Application' && finalizers.length > 0
          ? `not in the backup; has finalizers ${finalizers.join(', ')}: deleting it lets Argo CD act on them (e.g. delete the app's deployed resources), and it stays Terminating until they are handled`
          : 'not in the backup';
      entries.push({ ref, action: 'prune', reason, live });
    }
  }
  return pruneOrder(entries);
}

/** The plan from backup objects (namespace defaulted) and a read live set. Pure. */
export function buildPlan(
  backupObjects: readonly BackupObject[],
  live: Pick<LiveSet, 'byKey' | 'argoSet' | 'unreadable'>,
  opts: EffectiveRestoreOptions,
  target: RestoreTarget,
  perObjectErrors: ReadonlyMap<string, string> = new Map(),
): RestorePlan {
  const entries: PlanEntry[] = [];
  const referenced = new Set<string>();
  const errors: string[] = [];
  const targetFence = opts.keepTargetFence ? namespaceFence(live.argoSet.filter((o) => o.kind === 'AppProject') as AppProject[]) : undefined;
  for (const o of backupObjects) {
    const ref = refOf(o.object, opts.namespace);
    const key = refKey(ref);
    referenced.add(key);
    const type = resourceTypeOfKind(o.object.apiVersion, o.object.kind)!;
    const readError = perObjectErrors.get(key) ?? live.unreadable(type, ref.namespace);
    entries.push(planEntryFor(o.object, live.byKey.get(key), opts, readError, { index: o.index, ...(o.range ? { range: o.range } : {}) }, targetFence));
  }
  const warnings: string[] = [];
  for (const type of BACKUP_KINDS) {
    const reason = live.unreadable(type, opts.namespace);
    if (reason) warnings.push(`${type.kind}s of ${opts.namespace} not read (${reason}): neither compared nor considered for pruning`);
  }
  entries.push(...pruneEntriesFor(live.argoSet, referenced, opts));
  const counts = emptyPlanCounts();
  for (const e of entries) counts[e.action]++;
  const fenced = entries.filter((e) => e.fence);
  const fence = fenced.length ? { fence: { kept: opts.keepTargetFence, projects: fenced.map((e) => e.ref.name), windows: fenced.reduce((n, e) => n + e.fence!.windows.length, 0) } } : {};
  return { target, options: opts, entries, counts, errors, warnings, sourceLabel: '', createdAt: new Date().toISOString(), durationMs: 0, ...fence };
}
