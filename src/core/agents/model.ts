// The plain data that discovery produces and the tree, the CLI and failover read.
import type { SyncState } from './syncState';

/** The Harness identity an agent reports in its `gitops-agent` ConfigMap. Members of a DR pair share it. */
export interface AgentIdentity {
  account: string;
  org?: string;
  project?: string;
  agent: string;
}

export type Availability = 'HA' | 'NON-HA' | 'unknown';

export interface Readiness {
  ready: number;
  desired: number;
}

export interface ComponentHealth {
  /** Workload name, e.g. `argocd-application-controller`. */
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  readiness: Readiness;
}

/** Counts of Argo CD entities; undefined when this identity may not list that kind. */
export interface EntityCounts {
  applications?: number;
  appProjects?: number;
  applicationSets?: number;
  repositories?: number;
  clusters?: number;
}

export interface DiscoveredAgent {
  /** `<context>/<namespace>`: unique within one discovery. */
  id: string;
  context: string;
  /** Stable cluster identity: the kube-system namespace UID, else the server URL. */
  clusterId: string;
  server: string;
  namespace: string;
  identity: AgentIdentity;
  /** GITOPS_DISASTER_RECOVERY_IDENTIFIER; absent when DR is not enabled for this install. */
  drIdentifier?: string;
  availability: Availability;
  /** Bring-your-own Argo CD (the agent reuses an existing install) rather than Harness-managed. */
  byoa: boolean;
  /** The agent image tag. */
  version?: string;
  agent: Readiness;
  argoComponents: ComponentHealth[];
  counts: EntityCounts;
  /** From the sync windows of its AppProjects; undefined when this identity may not read them. */
  syncs?: SyncState;
  harnessUrl?: string;
  /** Other contexts that reach the same agent (same cluster identity and namespace). */
  alsoVia: string[];
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable code, e.g. `DR002`. */
  code: string;
  severity: Severity;
  message: string;
  /** Agent ids the finding is about. */
  members: string[];
}

/** Agents sharing one identity: a DR pair (or a larger set), with the rule findings of the seed. */
export interface AgentGroup {
  key: string;
  identity: AgentIdentity;
  members: DiscoveredAgent[];
  findings: Finding[];
}

export type ContextState = 'probing' | 'reachable' | 'unreachable';

export interface ContextStatus {
  name: string;
  server?: string;
  file?: string;
  isCurrent: boolean;
  state: ContextState;
  /** Why it is unreachable, or why discovery was partial: secret-free and actionable. */
  reason?: string;
  serverVersion?: string;
  clusterId?: string;
  agents: DiscoveredAgent[];
  /** Namespaces that could not be searched and why (e.g. forbidden to list namespaces). */
  partial?: string;
  durationMs?: number;
}

/** The whole picture: what the tree and `gitops-dr agents` show. */
export interface AgentsSnapshot {
  contexts: ContextStatus[];
  /** Groups with two or more members (DR pairs, or agents that clash). */
  groups: AgentGroup[];
  /** Agents alone with their identity. */
  singles: DiscoveredAgent[];
  /** Findings on single agents (e.g. a secondary whose primary was not found). */
  singleFindings: Finding[];
}
