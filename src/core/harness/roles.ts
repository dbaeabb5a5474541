// Which member of each DR pair Harness considers active, and how Harness sees its health: what the tree shows
// beside each member. One list call per agent identity (all its DR nodes at once).
import type { AgentIdentity, DiscoveredAgent } from '../agents/model';
import { identityKey } from '../agents/pairing';
import type { HarnessClient } from './client';
import { HarnessError } from './errors';
import { HEALTH_COMPONENTS, type ConnectionStatus, type DrNodeType, type V1Agent } from './types';

export interface NodeRole {
  /** The DR identifier; '' for an agent without disaster recovery. */
  drIdentifier: string;
  name?: string;
  role: DrNodeType;
  connection?: ConnectionStatus;
  lastHeartbeat?: string;
  /** Components Harness reports UNHEALTHY, e.g. ['argoRepoServer']. */
  unhealthy: string[];
  /** True when connected and no component is unhealthy; undefined when Harness reports no health. */
  healthy?: boolean;
}

export interface AgentRoles {
  /** identityKey of the agent identity (the same key as AgentGroup.key). */
  key: string;
  nodes: Map<string, NodeRole>;
  /** Why the roles could not be read (secret-free). */
  error?: string;
}

export type RolesByAgent = Map<string, AgentRoles>;

export const ROLE_UNKNOWN_LABEL = 'role unknown: connect to Harness';

export function nodeRoleOf(agent: V1Agent): NodeRole {
  const health = agent.health;
  const unhealthy = HEALTH_COMPONENTS.filter((c) => health?.[c]?.status === 'UNHEALTHY');
  const connection = health?.connectionStatus;
  const healthy = health === undefined ? undefined : connection !== 'DISCONNECTED' && unhealthy.length === 0;
  return {
    drIdentifier: agent.disasterRecoveryNode?.identifier ?? '',
    ...(agent.disasterRecoveryNode?.name ? { name: agent.disasterRecoveryNode.name } : {}),
    role: agent.disasterRecoveryNode?.type ?? 'UNKNOWN_TYPE',
    ...(connection ? { connection } : {}),
    ...(health?.lastHeartbeat ? { lastHeartbeat: health.lastHeartbeat } : {}),
    unhealthy: [...unhealthy],
    ...(healthy !== undefined ? { healthy } : {}),
  };
}

/** Reads the DR nodes of each identity (deduplicated), in parallel; a failure is kept per identity, not thrown. */
export async function fetchRoles(client: HarnessClient, identities: readonly AgentIdentity[], opts: { signal?: AbortSignal } = {}): Promise<RolesByAgent> {
  const unique = new Map<string, AgentIdentity>();
  for (const id of identities) if (id.agent) unique.set(identityKey(id), id);
  const result: RolesByAgent = new Map();
  await Promise.all(
    [...unique].map(async ([key, id]) => {
      try {
        const agents = await client.listAgents(
          { account: id.account, ...(id.org ? { org: id.org } : {}), ...(id.project ? { project: id.project } : {}), identifier: id.agent, includeSecondary: true },
          opts,
        );
        const nodes = new Map<string, NodeRole>();
        // The list may match more loosely than the identifier (and span scopes): keep exact matches only.
        for (const a of agents.filter((a) => a.identifier === id.agent && (a.projectIdentifier ?? '') === (id.project ?? '') && (a.orgIdentifier ?? '') === (id.org ?? ''))) {
          const role = nodeRoleOf(a);
          nodes.set(role.drIdentifier, role);
        }
        result.set(key, { key, nodes });
      } catch (e) {
        result.set(key, { key, nodes: new Map(), error: e instanceof HarnessError ? e.message : String((e as Error)?.message ?? e) });
      }
    }),
  );
  return result;
}

/** The role Harness gives one discovered member; undefined when roles were not read or the node is unknown. */
export function roleOf(roles: RolesByAgent | undefined, agent: Pick<DiscoveredAgent, 'identity' | 'drIdentifier'>): NodeRole | undefined {
  return roles?.get(identityKey(agent.identity))?.nodes.get(agent.drIdentifier ?? '');
}

/** The tree's contextValue for a pair member, from its Harness role. */
export function memberContextValue(role: NodeRole | undefined): 'agent.member.primary' | 'agent.member.secondary' | 'agent.member.unknownRole' {
  if (role?.role === 'PRIMARY') return 'agent.member.primary';
  if (role?.role === 'SECONDARY') return 'agent.member.secondary';
  return 'agent.member.unknownRole';
}

/** A short label for the tree: "PRIMARY · connected, healthy", or why the role is not known. */
export function describeRole(roles: RolesByAgent | undefined, agent: Pick<DiscoveredAgent, 'identity' | 'drIdentifier'>): string {
  if (!roles) return ROLE_UNKNOWN_LABEL;
  const entry = roles.get(identityKey(agent.identity));
  if (!entry) return ROLE_UNKNOWN_LABEL;
  if (entry.error) return `role unknown: ${entry.error.split(' — ')[0]}`;
  const role = entry.nodes.get(agent.drIdentifier ?? '');
  if (!role) return agent.drIdentifier ? `not known to Harness (DR node ${agent.drIdentifier})` : 'not known to Harness';
  return `${role.role === 'UNKNOWN_TYPE' ? 'role unknown' : role.role} · ${describeHealth(role)}`;
}

export function describeHealth(role: NodeRole): string {
  const connection = role.connection === 'CONNECTED' ? 'connected' : role.connection === 'DISCONNECTED' ? 'disconnected' : 'connection unknown';
  if (role.healthy === undefined) return connection;
  return role.unhealthy.length === 0 ? `${connection}, healthy` : `${connection}, unhealthy: ${role.unhealthy.join(', ')}`;
}
