// Who a backup is of: the agent identity (gitops-agent ConfigMap), the cluster (kube-system UID), the Argo CD
// version (the application controller's image tag). Read before the export so the manifest can say it.
import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../objects/kubeObject';
import { CONFIG_MAP, STATEFUL_SET } from '../objects/resources';
import { AGENT_CONFIG_MAP, AGENT_KEYS } from '../argo/argoFacts';
import { probeCluster } from '../agents/probe';
import { agentVersion } from '../agents/inspect';
import type { BackupSource } from './storeBackup';

/** The version of this tool, recorded in every manifest (kept equal to package.json by a unit test). */
export const TOOL_VERSION = '0.1.0';

class NoAgentError extends Error {}

export async function resolveBackupSource(client: KubeClient, context: string, namespace: string, signal?: AbortSignal): Promise<BackupSource> {
  const [probe, cm, controller] = await Promise.all([
    probeCluster(client, signal),
    client.get<KubeObject & { data?: Record<string, string> }>(CONFIG_MAP, namespace, AGENT_CONFIG_MAP, signal),
    client.get(STATEFUL_SET, namespace, 'argocd-application-controller', signal).catch(() => undefined),
  ]);
  const data = cm?.data ?? {};
  const account = data[AGENT_KEYS.account]?.trim();
  const agent = data[AGENT_KEYS.agent]?.trim();
  if (!cm || !account || !agent) {
    throw new NoAgentError(`namespace ${namespace} of context ${context} has no ${AGENT_CONFIG_MAP} ConfigMap naming ${AGENT_KEYS.account} and ${AGENT_KEYS.agent}: a stored backup is filed under its agent's identity`);
  }
  const org = data[AGENT_KEYS.org]?.trim();
  const project = data[AGENT_KEYS.project]?.trim();
  const dr = data[AGENT_KEYS.drIdentifier]?.trim();
  const argocdVersion = controller ? agentVersion(controller as Parameters<typeof agentVersion>[0]) : undefined;
  return {
    identity: { account, agent, ...(org ? { org } : {}), ...(project ? { project } : {}) },
    ...(dr ? { drIdentifier: dr } : {}),
    context,
    clusterId: probe.clusterId,
    namespace,
    ...(argocdVersion ? { argocdVersion } : {}),
  };
}
