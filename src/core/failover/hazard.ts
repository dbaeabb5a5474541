// The hazard of the seed document: two agents with the same identifier that both reconcile delete each other's
// entities ("all entities on Harness will be deleted"). Disaster recovery identifiers are what make two members
// safe. This guard refuses to scale up (or to keep using) a member when that would run such a duplicate.
import type { AgentsSnapshot, DiscoveredAgent } from '../agents/model';
import { identityKey } from '../agents/pairing';

export type HazardIntent = 'scaleUp' | 'running';

export interface HazardVerdict {
  refuse: boolean;
  /** Why, in the seed's words, and what to do instead; empty when there is no hazard. */
  message: string;
  /** The other agents with the same identifier that run. */
  conflicting: DiscoveredAgent[];
}

export const SEED_WARNING =
  'If you switch to a secondary cluster by increasing the replica count for the same agent without disaster recovery configuration, all entities on Harness will be deleted: ' +
  'the cluster is the source of truth, the other cluster does not hold the same entities, and each agent cleans up the entities that do not exist in its own state.';

function allAgents(snapshot: AgentsSnapshot): DiscoveredAgent[] {
  return [...snapshot.groups.flatMap((g) => g.members), ...snapshot.singles];
}

function isRunning(a: DiscoveredAgent): boolean {
  return a.agent.ready > 0 || a.agent.desired > 0;
}

/**
 * Whether scaling `agentId` up (or it running) would make two agents with one identifier reconcile without
 * distinct disaster recovery identifiers. Pure: reads only the snapshot.
 */
export function checkDuplicateAgentHazard(snapshot: AgentsSnapshot, agentId: string, intent: HazardIntent): HazardVerdict {
  const agents = allAgents(snapshot);
  const subject = agents.find((a) => a.id === agentId);
  if (!subject) return { refuse: false, message: '', conflicting: [] };
  if (!subject.identity.agent) return { refuse: false, message: '', conflicting: [] };
  const key = identityKey(subject.identity);
  const others = agents.filter((a) => a.id !== subject.id && a.identity.agent && identityKey(a.identity) === key && isRunning(a));
  const conflicting = others.filter((o) => !subject.drIdentifier || !o.drIdentifier || o.drIdentifier === subject.drIdentifier);
  if (conflicting.length === 0) return { refuse: false, message: '', conflicting: [] };

  const where = (a: DiscoveredAgent): string => `${a.context}/${a.namespace}${a.drIdentifier ? ` (DR identifier ${a.drIdentifier})` : ' (no DR identifier)'}`;
  const action = intent === 'scaleUp' ? `Scaling up ${where(subject)}` : `${where(subject)} running`;
  const cause = !subject.drIdentifier
    ? `it has no disaster recovery identifier`
    : conflicting.some((c) => !c.drIdentifier)
      ? `${conflicting.filter((c) => !c.drIdentifier).map(where).join(', ')} has none`
      : `they share the disaster recovery identifier "${subject.drIdentifier}"`;
  const message =
    `Refused: ${action} while ${conflicting.map(where).join(', ')} ${conflicting.length > 1 ? 'run' : 'runs'} agent ${subject.identity.agent}, and ${cause}. ${SEED_WARNING} ` +
    `Give each member its own DR identifier (Harness: the agent's Advanced section, Disaster Recovery: Primary / Secondary), ` +
    `or scale ${intent === 'scaleUp' ? 'the other agent' : 'one of them'} down first.`;
  return { refuse: true, message, conflicting };
}
