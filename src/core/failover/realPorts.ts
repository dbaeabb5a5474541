// The real implementations of the failover ports: Kubernetes (sync windows, probe, restore) and Harness.
import type { AgentIdentity, DiscoveredAgent } from '../agents/model';
import { inspectAgent } from '../agents/inspect';
import { probeCluster } from '../agents/probe';
import { AGENT_CONFIG_MAP } from '../argo/argoFacts';
import { APPLICATION, CONFIG_MAP } from '../objects/resources';
import { compareWithLive, type CompareSource } from '../compare/compare';
import type { HarnessClient } from '../harness/client';
import { nodeRoleOf, type NodeRole } from '../harness/roles';
import type { KubeClient } from '../kube/client';
import { KubeError, describeError } from '../kube/errors';
import type { KubeObject } from '../objects/kubeObject';
import { applyRestore } from '../restore/apply';
import { createNamespaces, missingNamespacesOf } from '../restore/namespaces';
import type { ParsedBackup } from '../yaml/readBackup';
import { allowSyncs, blockSyncs, listSyncWindows } from '../syncWindows/onCluster';
import { isNamespaceEnabled } from '../argo/namespaces';
import { readEnabledNamespaces } from '../restore/liveSet';
import { refreshPatch } from './applications';
import type { ApplicationsPort, HarnessPort, ProbePort, RestorePort, SyncWindowsPort } from './ports';

export type ClientFor = (context: string) => Promise<KubeClient>;

/** On namespaces the failover created on the target (so a person can tell them from their own). */
export { CREATED_BY_LABEL } from '../restore/namespaces';

// The agent's own ConfigMap names its account; the client's account setting is the fallback.
const scopeOf = (id: AgentIdentity): { account?: string; org?: string; project?: string } => ({ ...(id.account ? { account: id.account } : {}), ...(id.org ? { org: id.org } : {}), ...(id.project ? { project: id.project } : {}) });

export function harnessPort(client: HarnessClient): HarnessPort {
  return {
    async nodes(identity, signal) {
      const agents = await client.listAgents({ ...scopeOf(identity), identifier: identity.agent, includeSecondary: true }, signal ? { signal } : {});
      return agents.filter((a) => a.identifier === identity.agent).map(nodeRoleOf);
    },
    getSyncAllowed: (identity, dr, signal) => client.getSyncAllowed(identity.agent, dr, scopeOf(identity), signal ? { signal } : {}),
    setSyncAllowed: (identity, dr, allowed, signal) => client.setSyncAllowed(identity.agent, dr, allowed, scopeOf(identity), signal ? { signal } : {}),
    async setPrimary(identity, dr, signal): Promise<NodeRole> {
      const agent = await client.setPrimaryNode(identity.agent, dr, { ...scopeOf(identity), disableSyncWindows: false }, signal ? { signal } : {});
      return nodeRoleOf(agent);
    },
  };
}

export function kubeSyncWindowsPort(clientFor: ClientFor): SyncWindowsPort {
  return {
    block: async (m, signal) => blockSyncs(await clientFor(m.context), m.namespace, signal ? { signal } : {}),
    allow: async (m, signal) => allowSyncs(await clientFor(m.context), m.namespace, signal ? { signal } : {}),
    list: async (m, signal) => listSyncWindows(await clientFor(m.context), m.namespace, signal ? { signal } : {}),
  };
}

/**
 * The member's Applications: cluster-wide filtered by the application namespaces its Argo CD enables, or only its
 * own namespace when this identity may not list all namespaces (or none is enabled).
 */
export function kubeApplicationsPort(clientFor: ClientFor): ApplicationsPort {
  return {
    async list(member, signal) {
      const client = await clientFor(member.context);
      const { enabled } = await readEnabledNamespaces(client, member.namespace, signal);
      const patterns = enabled.applicationNamespaces;
      if (patterns.length) {
        try {
          const all = await client.listAll(APPLICATION, undefined, signal ? { signal } : {});
          return all.filter((a) => isNamespaceEnabled(a.metadata?.namespace ?? member.namespace, member.namespace, patterns));
        } catch (e) {
          if (!(e instanceof KubeError && e.reason === 'forbidden')) throw e;
        }
      }
      return client.listAll(APPLICATION, member.namespace, signal ? { signal } : {});
    },
    async refresh(member, app, signal) {
      await (await clientFor(member.context)).patchMerge(APPLICATION, app.namespace, app.name, refreshPatch(), signal ? { signal } : {});
    },
  };
}

/** Reads a member again: reachable? still an agent? how ready? */
export function kubeProbePort(clientFor: ClientFor): ProbePort {
  return {
    async refresh(member, signal) {
      try {
        const client = await clientFor(member.context);
        const probe = await probeCluster(client, signal);
        const cm = await client.get<KubeObject & { data?: Record<string, string> }>(CONFIG_MAP, member.namespace, AGENT_CONFIG_MAP, signal);
        if (!cm) return { reachable: true };
        const agent = await inspectAgent(client, { context: member.context, clusterId: probe.clusterId, namespace: member.namespace, agentConfigMap: cm }, signal);
        return { reachable: true, agent };
      } catch (e) {
        return { reachable: false, reason: describeError(e) };
      }
    },
  };
}

function restorePort(clientFor: ClientFor, sourceLabel: string, source: () => Promise<CompareSource>): RestorePort {
  return {
    sourceLabel,
    async plan(target: DiscoveredAgent, signal?: AbortSignal) {
      const client = await clientFor(target.context);
      return compareWithLive(await source(), client, { namespace: target.namespace, stopOperation: true, ...(signal ? { signal } : {}) });
    },
    async apply(target, plan, signal) {
      const client = await clientFor(target.context);
      return applyRestore(client, plan, signal ? { signal } : {});
    },
    missingNamespaces: async (_target, plan) => missingNamespacesOf(plan),
    async createNamespaces(target, names, signal) {
      await createNamespaces(await clientFor(target.context), names, 'failover', signal);
    },
  };
}

/** The latest backup is the current primary itself, exported live (read again at every plan). */
export function liveRestorePort(clientFor: ClientFor, from: DiscoveredAgent): RestorePort {
  return restorePort(clientFor, `live export of ${from.context}/${from.namespace} (the current primary), read again at each step`, async () => ({ kind: 'live', client: await clientFor(from.context), namespace: from.namespace }));
}

/** The latest backup is a file the user chose. */
export function backupRestorePort(clientFor: ClientFor, parsed: ParsedBackup, label: string): RestorePort {
  return restorePort(clientFor, `backup file ${label}`, async () => ({ kind: 'backup', input: parsed, label }));
}
