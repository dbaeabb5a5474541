// Turns per-context results into the snapshot: one agent per (cluster, namespace) even when several contexts reach
// it, agents grouped by Harness identity into DR pairs (or sets), and the rules checked on each group.
import type { AgentGroup, AgentIdentity, AgentsSnapshot, ContextStatus, DiscoveredAgent } from './model';
import { checkDrRules, checkSingleAgent } from './rules';

export function identityKey(id: AgentIdentity): string {
  return [id.account, id.org ?? '', id.project ?? '', id.agent].join('/');
}

/** Same cluster identity and namespace = the same agent, whichever context reached it. First context wins. */
function dedupeAgents(statuses: readonly ContextStatus[]): DiscoveredAgent[] {
  const seen = new Map<string, DiscoveredAgent>();
  for (const s of statuses) {
    for (const a of s.agents) {
      const key = `${a.clusterId}\u0000${a.namespace}`;
      const first = seen.get(key);
      if (first) first.alsoVia.push(a.context);
      else seen.set(key, { ...a, alsoVia: [...a.alsoVia] });
    }
  }
  return [...seen.values()];
}

function memberOrder(a: DiscoveredAgent, b: DiscoveredAgent): number {
  // The member holding entities first (likely the active one), then by context name.
  const ea = a.counts.applications ?? 0;
  const eb = b.counts.applications ?? 0;
  return eb - ea || a.context.localeCompare(b.context) || a.namespace.localeCompare(b.namespace);
}

export function buildSnapshot(statuses: readonly ContextStatus[]): AgentsSnapshot {
  const agents = dedupeAgents(statuses);
  const byIdentity = new Map<string, DiscoveredAgent[]>();
  for (const a of agents) {
    // An agent without an identifier cannot be paired: it stays single.
    const key = a.identity.agent ? identityKey(a.identity) : `\u0000${a.id}`;
    byIdentity.set(key, [...(byIdentity.get(key) ?? []), a]);
  }
  const groups: AgentGroup[] = [];
  const singles: DiscoveredAgent[] = [];
  for (const [key, members] of [...byIdentity.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (members.length === 1) {
      singles.push(members[0]!);
      continue;
    }
    members.sort(memberOrder);
    const group = { key, identity: members[0]!.identity, members, findings: [] as AgentGroup['findings'] };
    group.findings = checkDrRules(group);
    groups.push(group);
  }
  singles.sort(memberOrder);
  return { contexts: [...statuses], groups, singles, singleFindings: singles.flatMap(checkSingleAgent) };
}
