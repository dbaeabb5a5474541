// The secondary's node in Harness: created through the documented agents API with Disaster Recovery on, type
// Secondary, the chosen DR identifier and the primary's identity (the seed: "When the primary agent is selected, it
// will override the name (identifier) for the current agent").
import type { HarnessClient } from '../harness/client';
import { HarnessError } from '../harness/errors';
import type { HarnessScope, V1Agent } from '../harness/types';
import type { AgentIdentity } from '../agents/model';
import { SecondaryError } from './model';

export function scopeOf(identity: AgentIdentity): HarnessScope {
  return { account: identity.account, ...(identity.org ? { org: identity.org } : {}), ...(identity.project ? { project: identity.project } : {}) };
}

/** The create body for the secondary, from the primary's own Harness record (same scope, identifier, metadata). */
export function secondaryAgentBody(primary: V1Agent, identity: AgentIdentity, drIdentifier: string, namespace: string): V1Agent {
  const m = primary.metadata ?? {};
  return {
    accountIdentifier: identity.account,
    ...(identity.org ? { orgIdentifier: identity.org } : {}),
    ...(identity.project ? { projectIdentifier: identity.project } : {}),
    identifier: identity.agent,
    name: primary.name ?? identity.agent,
    ...(primary.description ? { description: primary.description } : {}),
    type: 'MANAGED_ARGO_PROVIDER',
    metadata: {
      namespace,
      highAvailability: m.highAvailability ?? false,
      existingInstallation: m.existingInstallation ?? false,
      isNamespaced: m.isNamespaced ?? false,
    },
    disasterRecoveryNode: { identifier: drIdentifier, name: drIdentifier, type: 'SECONDARY' },
  };
}

export interface SecondaryNode {
  agent: V1Agent;
  /** False when the node already existed (an earlier run created it) and is reused. */
  created: boolean;
}

/**
 * Creates the secondary node, or reuses it when an earlier run already created this very node (a SECONDARY with
 * this DR identifier in this namespace). A DR identifier held by another node is refused.
 */
export async function createSecondaryNode(harness: HarnessClient, identity: AgentIdentity, primaryDr: string | undefined, drIdentifier: string, namespace: string, signal?: AbortSignal): Promise<SecondaryNode> {
  const scope = scopeOf(identity);
  const opts = signal ? { signal } : {};
  const primary = await harness.getAgent(identity.agent, { ...scope, ...(primaryDr ? { drIdentifier: primaryDr } : {}) }, opts);
  if (!primary.disasterRecoveryNode?.identifier) {
    throw new SecondaryError(`Harness shows agent ${identity.agent} without disaster recovery: turn it on for the primary first (the agent's Advanced section, Disaster Recovery, Primary)`);
  }
  if ((primary.metadata?.namespace ?? namespace) !== namespace) {
    throw new SecondaryError(`Harness has the primary in namespace ${primary.metadata?.namespace}, the secondary would be in ${namespace}: the seed requires the same namespace`);
  }
  try {
    return { agent: await harness.createAgent(secondaryAgentBody(primary, identity, drIdentifier, namespace), opts), created: true };
  } catch (e) {
    if (!(e instanceof HarnessError && e.reason === 'conflict')) throw e;
    const existing = await harness.getAgent(identity.agent, { ...scope, drIdentifier }, opts).catch(() => undefined);
    if (existing?.disasterRecoveryNode?.type === 'SECONDARY' && existing.disasterRecoveryNode.identifier === drIdentifier && existing.metadata?.namespace === namespace) {
      return { agent: existing, created: false };
    }
    const holder = existing?.disasterRecoveryNode?.type ? ` (it is the ${existing.disasterRecoveryNode.type.toLowerCase()} node)` : '';
    throw new SecondaryError(`${e.message}${holder}`);
  }
}
