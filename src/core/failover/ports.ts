// What the failover needs from the world, as small interfaces: the unit tests give in-memory versions, the CLI and
// the extension give the real ones (realPorts.ts).
import type { AgentIdentity, DiscoveredAgent } from '../agents/model';
import type { NodeRole } from '../harness/roles';
import type { KubeObject } from '../objects/kubeObject';
import type { RestorePlan, RestoreResult } from '../restore/types';
import type { ApplicationName } from './applications';
import type { ProjectWindows } from '../syncWindows/evaluate';
import type { SyncWindowsResult } from '../syncWindows/onCluster';

export interface HarnessPort {
  /** Every DR node of the agent with its role. */
  nodes(identity: AgentIdentity, signal?: AbortSignal): Promise<NodeRole[]>;
  getSyncAllowed(identity: AgentIdentity, drIdentifier: string, signal?: AbortSignal): Promise<boolean>;
  setSyncAllowed(identity: AgentIdentity, drIdentifier: string, allowed: boolean, signal?: AbortSignal): Promise<boolean>;
  /** Makes the node primary; returns its new role. */
  setPrimary(identity: AgentIdentity, drIdentifier: string, signal?: AbortSignal): Promise<NodeRole>;
}

export interface SyncWindowsPort {
  block(member: DiscoveredAgent, signal?: AbortSignal): Promise<SyncWindowsResult>;
  allow(member: DiscoveredAgent, signal?: AbortSignal): Promise<SyncWindowsResult>;
  list(member: DiscoveredAgent, signal?: AbortSignal): Promise<ProjectWindows[]>;
}

/** The latest backup of the current primary and how to restore it. */
export interface RestorePort {
  /** Where the backup comes from: "live export of east/argocd" or a file name. */
  readonly sourceLabel: string;
  /** The restore plan of the backup against the target (stop-operation on); re-read on every call. */
  plan(target: DiscoveredAgent, signal?: AbortSignal): Promise<RestorePlan>;
  apply(target: DiscoveredAgent, plan: RestorePlan, signal?: AbortSignal): Promise<RestoreResult>;
  /** Namespaces the plan writes to (Applications in other namespaces) that do not exist on the target. */
  missingNamespaces(target: DiscoveredAgent, plan: RestorePlan, signal?: AbortSignal): Promise<string[]>;
  createNamespaces(target: DiscoveredAgent, names: readonly string[], signal?: AbortSignal): Promise<void>;
}

/** The Applications of a member's Argo CD (its namespace and the application namespaces it enables). */
export interface ApplicationsPort {
  list(member: DiscoveredAgent, signal?: AbortSignal): Promise<KubeObject[]>;
  /** Asks Argo CD to refresh one Application (the refresh annotation). */
  refresh(member: DiscoveredAgent, app: ApplicationName, signal?: AbortSignal): Promise<void>;
}

export interface MemberState {
  reachable: boolean;
  /** Why not reachable (secret-free). */
  reason?: string;
  /** The member as inspected just now (readiness, counts); absent when unreachable or the agent is gone. */
  agent?: DiscoveredAgent;
}

export interface ProbePort {
  refresh(member: DiscoveredAgent, signal?: AbortSignal): Promise<MemberState>;
}

export interface FailoverPorts {
  /** Absent without a Harness API key: roles are unknown and the switch is a manual step. */
  harness?: HarnessPort;
  syncWindows: SyncWindowsPort;
  /** Absent when no backup is available (the current primary is unreachable and no file was given). */
  restore?: RestorePort;
  probe: ProbePort;
  /** Lists the new primary's Applications while its syncs are denied and asks them to refresh once allowed. */
  applications: ApplicationsPort;
}
