// What a kubelet and controllers would do, done by the test: once the install's workloads exist, their status is
// written through the status subresource as ready (the seeder does the same for the scenario's own installs).
import type { KubeClient } from '../../../src/core/kube/client';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { DEPLOYMENT, STATEFUL_SET } from '../../../src/core/objects/resources';

type Workload = KubeObject & { spec?: { replicas?: number }; status?: { readyReplicas?: number }; metadata?: { name?: string; generation?: number } };

export async function markReady(client: KubeClient, namespace: string, skip: readonly string[] = []): Promise<string[]> {
  const marked: string[] = [];
  for (const type of [DEPLOYMENT, STATEFUL_SET]) {
    let items: Workload[] = [];
    try {
      items = await client.listAll<Workload>(type, namespace);
    } catch {
      continue;
    }
    for (const w of items) {
      const name = w.metadata?.name ?? '';
      if (skip.includes(name) || (w.status?.readyReplicas ?? 0) >= (w.spec?.replicas ?? 1)) continue;
      const n = w.spec?.replicas ?? 1;
      await client.patchMerge(type, namespace, name, { status: { observedGeneration: w.metadata?.generation ?? 1, replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n, ...(type === DEPLOYMENT ? {} : { currentReplicas: n }) } }, { subresource: 'status' });
      marked.push(`${type.kind}/${name}`);
    }
  }
  return marked;
}

/** Marks workloads ready every `intervalMs` until stopped. */
export function keepMarkingReady(client: KubeClient, namespace: string, intervalMs = 250): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await markReady(client, namespace).catch(() => undefined);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
