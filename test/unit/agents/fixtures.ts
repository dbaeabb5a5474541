import type { ContextStatus, DiscoveredAgent } from '../../../src/core/agents/model';

/** An agent as discovery reports it; tests override what they are about. */
export function agent(overrides: Partial<DiscoveredAgent> & { context: string }): DiscoveredAgent {
  const namespace = overrides.namespace ?? 'argocd';
  return {
    id: `${overrides.context}/${namespace}`,
    clusterId: `uid-${overrides.context}`,
    server: `https://${overrides.context}.example:6443`,
    namespace,
    identity: { account: 'acc', org: 'default', project: 'dr', agent: 'drdemo' },
    availability: 'NON-HA',
    byoa: false,
    version: 'v0.88.1',
    agent: { ready: 1, desired: 1 },
    argoComponents: [],
    counts: { applications: 0, appProjects: 1, applicationSets: 0, repositories: 0, clusters: 0 },
    alsoVia: [],
    ...overrides,
  };
}

export function reachable(name: string, agents: DiscoveredAgent[]): ContextStatus {
  return { name, isCurrent: false, state: 'reachable', agents, clusterId: agents[0]?.clusterId ?? `uid-${name}` };
}
