// "Compare with live": the drift view of a DR pair. A backup, or a live primary namespace, is planned against a
// live secondary namespace exactly as a restore would be, and nothing is applied.
import type { KubeClient } from '../kube/client';
import { planBackupRestore, type BackupInput } from '../restore/gate';
import { RestoreRefusedError } from '../restore/input';
import type { RestoreOptions } from '../restore/options';
import { planRestoreObjects } from '../restore/plan';
import type { RestorePlan } from '../restore/types';
import { readLiveSource } from './liveSource';

export type CompareSource =
  | { kind: 'backup'; input: BackupInput; label: string }
  | { kind: 'live'; client: KubeClient; namespace: string };

export interface CompareOptions extends Partial<RestoreOptions> {
  /** The secondary's namespace (default: the source namespace for a live source). */
  namespace?: string;
  signal?: AbortSignal;
}

/**
 * The plan that restoring `source` into the target namespace would run. Stop operation is off by default here:
 * an in-flight operation on the secondary is drift to show, not something a comparison decides to clear.
 */
export async function compareWithLive(source: CompareSource, target: KubeClient, options: CompareOptions = {}): Promise<RestorePlan> {
  const namespace = options.namespace ?? (source.kind === 'live' ? source.namespace : undefined);
  if (!namespace) throw new Error('compare: name the target namespace');
  const restoreOptions: RestoreOptions = { ...options, namespace, stopOperation: options.stopOperation ?? false };
  const call = options.signal ? { signal: options.signal } : {};
  if (source.kind === 'backup') {
    return (await planBackupRestore(target, source.input, restoreOptions, { ...call, sourceLabel: source.label })).plan;
  }
  const live = await readLiveSource(source.client, source.namespace, options.signal);
  if (live.objects.length === 0) {
    throw new RestoreRefusedError([{ message: `the source ${source.client.context}/${source.namespace} holds no Argo CD object to compare (${live.warnings.join('; ') || 'empty'})` }]);
  }
  const plan = await planRestoreObjects(target, live.objects, restoreOptions, { ...call, sourceLabel: `${source.client.context}/${source.namespace} (live)` });
  plan.warnings.unshift(...live.warnings);
  return plan;
}
