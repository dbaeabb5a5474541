// Finds the pair, the member to make primary and the current primary from what the user named: a Harness agent
// identifier with a DR identifier (CLI: --agent ID --to DR_ID), or a discovered member (`context/namespace`).
import type { AgentGroup, AgentsSnapshot, DiscoveredAgent } from '../agents/model';
import type { NodeRole } from '../harness/roles';
import { FailoverError, type ResolvedFailover } from './model';

export interface FailoverRequest {
  /** The Harness agent identifier shared by the pair. */
  agent?: string;
  /** A discovered member id, `context/namespace`: the member to make primary. */
  member?: string;
  /** The DR identifier of the member to make primary. */
  to?: string;
  /** The DR identifier of the current primary, when neither Harness nor the pair can tell. */
  from?: string;
}

const where = (a: DiscoveredAgent): string => `${a.context}/${a.namespace}${a.drIdentifier ? ` [${a.drIdentifier}]` : ''}`;

/** The group and the target member. Throws FailoverError naming what exists when the request matches nothing. */
export function resolveTarget(snapshot: AgentsSnapshot, request: FailoverRequest): { group: AgentGroup; to: DiscoveredAgent } {
  if (request.member) {
    const group = snapshot.groups.find((g) => g.members.some((m) => m.id === request.member || m.alsoVia.some((c) => `${c}/${m.namespace}` === request.member)));
    if (!group) {
      const single = snapshot.singles.find((s) => s.id === request.member);
      if (single) throw new FailoverError(`${request.member} has no other member with agent identifier ${single.identity.agent || '(none)'} in any reachable context: there is nothing to fail over from`);
      throw new FailoverError(`no agent found at ${request.member}; known members: ${snapshot.groups.flatMap((g) => g.members.map((m) => m.id)).join(', ') || 'none'}`);
    }
    const to = group.members.find((m) => m.id === request.member || m.alsoVia.some((c) => `${c}/${m.namespace}` === request.member))!;
    if (request.to && to.drIdentifier !== request.to) throw new FailoverError(`${to.id} has DR identifier ${to.drIdentifier ?? '(none)'}, not ${request.to}`);
    return { group, to };
  }
  if (!request.agent) throw new FailoverError('name the agent: its Harness identifier (--agent) or a member (context/namespace)');
  if (!request.to) throw new FailoverError('name the DR identifier of the member to make primary (--to)');
  const groups = snapshot.groups.filter((g) => g.identity.agent === request.agent);
  if (groups.length === 0) {
    const single = snapshot.singles.find((s) => s.identity.agent === request.agent);
    if (single) throw new FailoverError(`agent ${request.agent} has one member only (${where(single)}): no pair to fail over in the reachable contexts`);
    const known = [...new Set([...snapshot.groups.map((g) => g.identity.agent), ...snapshot.singles.map((s) => s.identity.agent)].filter((a) => a))];
    throw new FailoverError(`no agent with identifier ${request.agent} in any reachable context${known.length ? `; found: ${known.join(', ')}` : ''}`);
  }
  if (groups.length > 1) {
    throw new FailoverError(`agent identifier ${request.agent} exists in several Harness scopes (${groups.map((g) => g.key).join('; ')}): name a member (context/namespace) instead`);
  }
  const group = groups[0]!;
  const to = group.members.filter((m) => m.drIdentifier === request.to);
  if (to.length === 0) throw new FailoverError(`agent ${request.agent} has no member with DR identifier ${request.to}; its members: ${group.members.map(where).join(', ')}`);
  if (to.length > 1) throw new FailoverError(`DR identifier ${request.to} is used by ${to.map(where).join(' and ')}: each member needs its own; fix that first`);
  return { group, to: to[0]! };
}

/** Decides the current primary: the request, else Harness's PRIMARY node, else the only other member. */
export function resolveFailover(snapshot: AgentsSnapshot, request: FailoverRequest, harnessNodes?: readonly NodeRole[]): ResolvedFailover {
  const { group, to } = resolveTarget(snapshot, request);
  const others = group.members.filter((m) => m !== to);
  const base = { identity: group.identity, group, to };
  if (request.from) {
    if (request.from === to.drIdentifier) throw new FailoverError(`--from and --to name the same member (${request.from})`);
    const from = others.find((m) => m.drIdentifier === request.from);
    return { ...base, ...(from ? { from } : {}), fromDrIdentifier: request.from, fromSource: 'request' };
  }
  if (harnessNodes) {
    const primary = harnessNodes.find((n) => n.role === 'PRIMARY');
    if (primary && primary.drIdentifier !== to.drIdentifier) {
      const from = others.find((m) => (m.drIdentifier ?? '') === primary.drIdentifier);
      return { ...base, ...(from ? { from } : {}), fromDrIdentifier: primary.drIdentifier, fromSource: 'harness' };
    }
    if (primary) return { ...base, fromDrIdentifier: primary.drIdentifier, fromSource: 'harness' };
  }
  if (others.length === 1) return { ...base, from: others[0]!, ...(others[0]!.drIdentifier ? { fromDrIdentifier: others[0]!.drIdentifier } : {}), fromSource: 'otherMember' };
  return { ...base, fromSource: 'unknown' };
}
