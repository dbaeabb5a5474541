// Application namespaces a restore needs on the target: those of backup objects that would be restored (enabled for
// their kind by the target's Argo CD settings) but whose namespace does not exist. Created only when asked
// (`--create-namespaces`, the VS Code choice, the failover's restore step), labelled so a person can tell them apart.
import { NAMESPACE } from '../objects/resources';
import type { KubeClient } from '../kube/client';
import type { RestorePlan } from './types';

/** On namespaces gitops-dr created on a target. */
export const CREATED_BY_LABEL = 'gitops-agent-dr/created-by';

/** The namespaces a plan is missing (objects there are plan errors until they exist). */
export function missingNamespacesOf(plan: RestorePlan): string[] {
  return plan.missingNamespaces ?? [];
}

/** Creates each namespace (an existing one is fine: someone made it meanwhile). Returns those this call created. */
export async function createNamespaces(client: KubeClient, names: readonly string[], createdBy: string, signal?: AbortSignal): Promise<string[]> {
  const created: string[] = [];
  for (const name of names) {
    const exists = await client.get(NAMESPACE, undefined, name, signal);
    if (exists) continue;
    await client.create(NAMESPACE, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [CREATED_BY_LABEL]: createdBy } } }, signal ? { signal } : {});
    created.push(name);
  }
  return created;
}
