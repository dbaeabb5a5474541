// Short human descriptions of an agent, shared by the tree and the CLI.
import type { DiscoveredAgent } from './model';

export type HealthLevel = 'healthy' | 'degraded' | 'down';

export interface AgentDescription {
  health: HealthLevel;
  /** e.g. `40 apps`. */
  apps: string;
  /** Components that are not fully ready, e.g. `argocd-repo-server 0/1`. */
  notReady: string[];
}

export function describeAgent(a: DiscoveredAgent): AgentDescription {
  const notReady = [
    ...(a.agent.ready < a.agent.desired || a.agent.desired === 0 ? [`gitops-agent ${a.agent.ready}/${a.agent.desired}`] : []),
    ...a.argoComponents.filter((c) => c.readiness.ready < c.readiness.desired).map((c) => `${c.name} ${c.readiness.ready}/${c.readiness.desired}`),
  ];
  const health: HealthLevel = a.agent.ready === 0 ? 'down' : notReady.length > 0 ? 'degraded' : 'healthy';
  const n = a.counts.applications;
  return { health, apps: n === undefined ? 'apps ?' : `${n} app${n === 1 ? '' : 's'}`, notReady };
}
