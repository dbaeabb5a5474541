// Discovery over every context of the merged kubeconfig, all in parallel: each context is probed, its agents
// found and inspected, and its status reported as soon as it is known (streaming into the tree).
import { KubeClient } from '../kube/client';
import { KubeError, describeError } from '../kube/errors';
import type { MergedKubeconfig, KubeContextInfo } from '../kube/kubeconfig';
import type { KubeObject } from '../objects/kubeObject';
import { CONFIG_MAP } from '../objects/resources';
import { AGENT_CONFIG_MAP } from '../argo/argoFacts';
import { probeCluster } from './probe';
import { inspectAgent } from './inspect';
import { buildSnapshot } from './pairing';
import type { AgentsSnapshot, ContextStatus, DiscoveredAgent } from './model';
import { quiet } from '../util/quiet';

export interface DiscoverOptions {
  /** Per-request timeout for contexts whose client the caller does not supply. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Namespaces to look in when the identity may not list ConfigMaps cluster-wide. */
  namespaces?: readonly string[];
  /** Called once per context as soon as its status is final. */
  onContext?: (status: ContextStatus) => void;
  /** Reuse cached clients (the extension); default: a fresh client per context, closed afterwards. */
  clientFor?: (context: string) => Promise<KubeClient>;
}

type AgentConfigMap = KubeObject & { data?: Record<string, string> };

/** The gitops-agent ConfigMaps this identity can see, and a note when the search was partial. */
async function findAgentConfigMaps(client: KubeClient, info: KubeContextInfo, namespaces: readonly string[], signal?: AbortSignal): Promise<{ configMaps: AgentConfigMap[]; partial?: string }> {
  try {
    const configMaps = await client.listAll<AgentConfigMap>(CONFIG_MAP, undefined, { fieldSelector: `metadata.name=${AGENT_CONFIG_MAP}`, ...(signal ? { signal } : {}) });
    return { configMaps };
  } catch (e) {
    if (!(e instanceof KubeError && e.reason === 'forbidden')) throw e;
  }
  // May not list cluster-wide: look in the configured namespaces and the context's own namespace.
  const candidates = [...new Set([...namespaces, ...(info.namespace ? [info.namespace] : [])])];
  const configMaps: AgentConfigMap[] = [];
  const denied: string[] = [];
  await Promise.all(
    candidates.map(async (ns) => {
      try {
        const cm = await client.get<AgentConfigMap>(CONFIG_MAP, ns, AGENT_CONFIG_MAP, signal);
        if (cm) configMaps.push(cm);
      } catch (e) {
        if (e instanceof KubeError && e.reason === 'forbidden') denied.push(ns);
        else throw e;
      }
    }),
  );
  const searched = candidates.length > 0 ? `searched only ${candidates.join(', ')}` : 'set gitopsDr.agentNamespaces to search specific namespaces';
  return { configMaps, partial: `may not list ConfigMaps cluster-wide; ${searched}${denied.length ? `; forbidden in ${denied.join(', ')}` : ''}` };
}

/** Probes one context and inspects its agents. Never throws: failures become an unreachable status. */
export async function discoverContext(client: KubeClient, info: KubeContextInfo, options: Pick<DiscoverOptions, 'namespaces' | 'signal'> = {}): Promise<ContextStatus> {
  const started = Date.now();
  const base = { name: info.name, isCurrent: info.isCurrent, file: info.file, ...(info.server ? { server: info.server } : {}) };
  try {
    // The agent search starts with the probe (one round trip, not two); the probe's error is the one reported.
    const search = quiet(findAgentConfigMaps(client, info, options.namespaces ?? [], options.signal));
    const probe = await probeCluster(client, options.signal);
    const { configMaps, partial } = await search;
    const agents = await Promise.all(
      configMaps
        .sort((a, b) => (a.metadata?.namespace ?? '').localeCompare(b.metadata?.namespace ?? ''))
        .map((cm) => inspectAgent(client, { context: info.name, clusterId: probe.clusterId, namespace: cm.metadata?.namespace ?? '', agentConfigMap: cm }, options.signal)),
    );
    return { ...base, state: 'reachable', serverVersion: probe.serverVersion, clusterId: probe.clusterId, agents, ...(partial ? { partial } : {}), durationMs: Date.now() - started };
  } catch (e) {
    return { ...base, state: 'unreachable', reason: describeError(e), agents: [], durationMs: Date.now() - started };
  }
}

/** Discovers every context in parallel and returns the paired snapshot. */
export async function discoverAll(kubeconfig: MergedKubeconfig, options: DiscoverOptions = {}): Promise<AgentsSnapshot> {
  const statuses = await Promise.all(
    kubeconfig.contexts.map(async (info): Promise<ContextStatus> => {
      let client: KubeClient | undefined;
      let status: ContextStatus;
      try {
        client = options.clientFor ? await options.clientFor(info.name) : await KubeClient.forContext(kubeconfig, info.name, { timeoutMs: options.timeoutMs ?? 5000 });
        status = await discoverContext(client, info, options);
      } catch (e) {
        status = { name: info.name, isCurrent: info.isCurrent, file: info.file, ...(info.server ? { server: info.server } : {}), state: 'unreachable', reason: describeError(e), agents: [] };
      } finally {
        if (client && !options.clientFor) client.close();
      }
      options.onContext?.(status);
      return status;
    }),
  );
  return buildSnapshot(statuses);
}

export type { DiscoveredAgent };
