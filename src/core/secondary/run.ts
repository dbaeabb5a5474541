// One entry for both front ends: discover every context, then run the pre-checks of a secondary.
import { discoverAll } from '../agents/discover';
import type { KubeClient } from '../kube/client';
import type { MergedKubeconfig } from '../kube/kubeconfig';
import type { AgentsSnapshot } from '../agents/model';
import type { HarnessClient } from '../harness/client';
import { checkSecondaryTarget, type SecondaryCheckRequest } from './prechecks';
import type { SecondaryCheckReport } from './model';

export async function discoverAndCheck(
  kubeconfig: MergedKubeconfig,
  request: SecondaryCheckRequest,
  clientFor: (context: string) => Promise<KubeClient>,
  options: { timeoutMs?: number; signal?: AbortSignal; snapshot?: AgentsSnapshot; harness?: HarnessClient } = {},
): Promise<{ snapshot: AgentsSnapshot; report: SecondaryCheckReport }> {
  const snapshot = options.snapshot ?? (await discoverAll(kubeconfig, { clientFor, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.signal ? { signal: options.signal } : {}) }));
  const report = await checkSecondaryTarget(request, { snapshot, clientFor, ...(options.harness ? { harness: options.harness } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  return { snapshot, report };
}
