// Shapes of the Harness GitOps agent API as this product reads and writes them.
// Source: the Harness GitOps agent API reference (https://apidocs.harness.io/, "Agents" of GitOps).

export type DrNodeType = 'PRIMARY' | 'SECONDARY' | 'UNKNOWN_TYPE';

export interface V1DisasterRecoveryNode {
  identifier?: string;
  name?: string;
  type?: DrNodeType;
}

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'HEALTH_STATUS_UNSET';
export type ConnectionStatus = 'CONNECTED' | 'DISCONNECTED' | 'CONNECTED_STATUS_UNSET';

export interface V1ComponentHealth {
  status?: HealthStatus;
  message?: string;
  k8sError?: boolean;
  version?: string;
}

/** The component keys of `health`, in the order a person reads them. */
export const HEALTH_COMPONENTS = ['harnessGitopsAgent', 'argoAppController', 'argoRepoServer', 'argoRedisServer', 'argoAppSetController', 'argoHAProxy'] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

export type V1AgentHealth = {
  lastHeartbeat?: string;
  connectionStatus?: ConnectionStatus;
} & { [K in HealthComponent]?: V1ComponentHealth };

export interface V1AgentMetadata {
  namespace?: string;
  highAvailability?: boolean;
  existingInstallation?: boolean;
  isNamespaced?: boolean;
  deployedApplicationCount?: number;
  mappedProjects?: { appProjMap?: Record<string, { projectIdentifier?: string; orgIdentifier?: string }> };
  infraType?: 'UNSET' | 'OPENSHIFT';
}

export interface V1Agent {
  accountIdentifier?: string;
  orgIdentifier?: string;
  projectIdentifier?: string;
  identifier?: string;
  name?: string;
  description?: string;
  tags?: Record<string, string>;
  type?: 'AGENT_TYPE_UNSET' | 'CONNECTED_ARGO_PROVIDER' | 'MANAGED_ARGO_PROVIDER' | 'HOSTED_ARGO_PROVIDER';
  scope?: 'AGENT_SCOPE_UNSET' | 'ACCOUNT' | 'ORG' | 'PROJECT';
  metadata?: V1AgentMetadata;
  health?: V1AgentHealth;
  version?: { major?: string; minor?: string; patch?: string };
  upgradeAvailable?: boolean;
  disasterRecoveryNode?: V1DisasterRecoveryNode;
  operator?: 'ARGO' | 'FLAMINGO' | 'UNKNOWN';
  prefixedIdentifier?: string;
  deletionInProgress?: boolean;
  createdAt?: { seconds?: string | number; nanos?: number };
  lastModifiedAt?: { seconds?: string | number; nanos?: number };
}

export interface V1AgentList {
  content?: V1Agent[];
  totalPages?: number;
  totalItems?: number;
  pageItemCount?: number;
  pageSize?: number;
  pageIndex?: number;
  empty?: boolean;
}

export interface V1AgentSetPrimaryNodeRequest {
  accountIdentifier: string;
  orgIdentifier?: string;
  projectIdentifier?: string;
  agentIdentifier: string;
  disasterRecoveryIdentifier: string;
  disableSyncWindows: boolean;
}

export interface SyncAllowedRequest {
  accountIdentifier: string;
  orgIdentifier?: string;
  projectIdentifier?: string;
  agentIdentifier: string;
  disasterRecoveryIdentifier: string;
  syncAllowed: boolean;
}

export interface SyncAllowedResponse {
  syncAllowed?: boolean;
}

/** The error body of every failed call (`gatewayruntimeError`). */
export interface GatewayRuntimeError {
  error?: string;
  code?: number;
  message?: string;
  details?: unknown[];
}

/** Where an agent lives in Harness. Account-level agents have neither org nor project. */
export interface HarnessScope {
  /** Defaults to the client's account. */
  account?: string;
  org?: string;
  project?: string;
}

export const API_PREFIX = '/gitops/api/v1/agents';
export const DEFAULT_HARNESS_BASE_URL = 'https://app.harness.io/gateway';
