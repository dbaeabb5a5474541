// Watches an installed agent until it is ready: the agent Deployment and every Argo CD workload of the manifest
// report all their replicas ready. Progress per poll, cancel through the signal, and a timeout that names what is
// not ready and why (the workload's own conditions when it has them).
import type { KubeClient } from '../kube/client';
import { KubeError, describeError } from '../kube/errors';
import type { KubeObject } from '../objects/kubeObject';
import { DEPLOYMENT, STATEFUL_SET } from '../objects/resources';
import { sleep } from '../util/sleep';
import type { ManifestObject } from './manifest';
import { SecondaryError } from './model';

export interface WorkloadState {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  ready: number;
  desired: number;
  isReady: boolean;
  /** Why it is not ready, when the cluster says (conditions), or that it is missing. */
  reason?: string;
}

export interface ReadinessProgress {
  workloads: WorkloadState[];
  ready: number;
  total: number;
  elapsedMs: number;
}

export interface WatchOptions {
  namespace: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ReadinessProgress) => void;
}

export class ReadinessTimeout extends SecondaryError {
  constructor(
    message: string,
    readonly last: ReadinessProgress,
  ) {
    super(message);
    this.name = 'ReadinessTimeout';
  }
}

interface Workload extends KubeObject {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; observedGeneration?: number; conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }> };
}

/** The workloads of a manifest the watch waits for. */
function workloadsOf(objects: readonly ManifestObject[]): Array<{ kind: 'Deployment' | 'StatefulSet'; name: string }> {
  return objects.filter((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.apiVersion === 'apps/v1').map((o) => ({ kind: o.kind as 'Deployment' | 'StatefulSet', name: o.metadata.name }));
}

export function stateOf(kind: WorkloadState['kind'], name: string, w: Workload | undefined): WorkloadState {
  if (!w) return { kind, name, ready: 0, desired: 0, isReady: false, reason: 'not found on the cluster' };
  const desired = w.spec?.replicas ?? 1;
  const ready = w.status?.readyReplicas ?? 0;
  const generation = (w.metadata as { generation?: number } | undefined)?.generation;
  const observed = w.status?.observedGeneration;
  const stale = observed !== undefined && generation !== undefined && observed < generation;
  const isReady = ready >= desired && !stale;
  if (isReady) return { kind, name, ready, desired, isReady };
  const failing = (w.status?.conditions ?? []).find((c) => c.status === 'False' && c.message);
  const reason = failing
    ? `${failing.type}: ${failing.reason ?? ''} ${failing.message ?? ''}`.replace(/\s+/g, ' ').trim()
    : stale
      ? `the controller has not yet seen generation ${generation}`
      : observed === undefined && ready === 0
        ? 'no status yet: no controller has reported on it (are pods being scheduled on this cluster?)'
        : `${ready}/${desired} replicas ready`;
  return { kind, name, ready, desired, isReady, reason };
}

async function poll(client: KubeClient, namespace: string, wanted: ReturnType<typeof workloadsOf>, signal?: AbortSignal): Promise<WorkloadState[]> {
  return Promise.all(
    wanted.map(async ({ kind, name }) => {
      try {
        const w = await client.get<Workload>(kind === 'Deployment' ? DEPLOYMENT : STATEFUL_SET, namespace, name, signal);
        return stateOf(kind, name, w);
      } catch (e) {
        if (e instanceof KubeError && e.reason === 'cancelled') throw e;
        return { kind, name, ready: 0, desired: 0, isReady: false, reason: `cannot read it: ${describeError(e)}` };
      }
    }),
  );
}

/** Resolves with the final progress once every workload is ready; throws ReadinessTimeout or a cancelled KubeError. */
export async function watchUntilReady(client: KubeClient, objects: readonly ManifestObject[], options: WatchOptions): Promise<ReadinessProgress> {
  const wanted = workloadsOf(objects);
  const started = Date.now();
  const interval = options.intervalMs ?? 2000;
  for (;;) {
    if (options.signal?.aborted) throw new KubeError('cancelled', 'cancelled: the readiness watch was stopped; the install itself stays applied');
    const workloads = await poll(client, options.namespace, wanted, options.signal);
    const progress: ReadinessProgress = { workloads, ready: workloads.filter((w) => w.isReady).length, total: workloads.length, elapsedMs: Date.now() - started };
    options.onProgress?.(progress);
    if (progress.ready === progress.total) return progress;
    const remaining = options.timeoutMs - (Date.now() - started);
    if (remaining <= 0) {
      const pending = workloads.filter((w) => !w.isReady).map((w) => `${w.kind} ${w.name}: ${w.reason ?? `${w.ready}/${w.desired} ready`}`);
      throw new ReadinessTimeout(`not ready after ${Math.round(options.timeoutMs / 1000)}s (${progress.ready}/${progress.total} workloads ready); waiting on: ${pending.join('; ')}`, progress);
    }
    await sleep(Math.min(interval, remaining), options.signal, () => new KubeError('cancelled', 'cancelled: the readiness watch was stopped; the install itself stays applied'));
  }
}
