// The DR rules of the seed document, checked on agents that share one identity. Each finding has a stable code.
import type { AgentGroup, DiscoveredAgent, Finding } from './model';

const DR_RULES = {
  DR001: 'Primary and secondary must use the same namespace',
  DR002: 'Primary and secondary must run in separate clusters',
  DR003: 'Primary and secondary must be of the same type (HA or non-HA)',
  DR004: 'Primary and secondary must be of the same type (BYOA or Harness-managed Argo CD)',
  DR005: 'Agent versions differ between members',
  DR006: 'More than one agent with the same identifier runs without disaster recovery identifiers',
  DR007: 'Two members share one disaster recovery identifier',
  DR008: 'A member holds fewer Applications or ApplicationSets than another (not yet or partly restored)',
  DR009: 'Disaster recovery is enabled but no other member was found',
} as const;

export type DrRuleCode = keyof typeof DR_RULES;

function where(a: DiscoveredAgent): string {
  return `${a.context}/${a.namespace}`;
}

function finding(code: DrRuleCode, severity: Finding['severity'], message: string, members: DiscoveredAgent[]): Finding {
  return { code, severity, message, members: members.map((m) => m.id) };
}

function isRunning(a: DiscoveredAgent): boolean {
  return a.agent.ready > 0;
}

function entities(a: DiscoveredAgent): number {
  return (a.counts.applications ?? 0) + (a.counts.applicationSets ?? 0);
}

/** Splits members by a key and reports when they do not all agree, naming who has which value. */
function disagreement(members: DiscoveredAgent[], key: (a: DiscoveredAgent) => string): string | undefined {
  const values = new Map<string, string[]>();
  for (const m of members) values.set(key(m), [...(values.get(key(m)) ?? []), where(m)]);
  if (values.size < 2) return undefined;
  return [...values.entries()].map(([v, who]) => `${who.join(', ')} ${who.length > 1 ? 'use' : 'uses'} ${v}`).join('; ');
}

export function checkDrRules(group: Pick<AgentGroup, 'members' | 'identity'>): Finding[] {
  const members = group.members;
  const findings: Finding[] = [];
  if (members.length < 2) return findings;
  const id = group.identity.agent;

  const ns = disagreement(members, (m) => `namespace ${m.namespace}`);
  if (ns) findings.push(finding('DR001', 'error', `${DR_RULES.DR001}: ${ns}.`, members));

  const byCluster = new Map<string, DiscoveredAgent[]>();
  for (const m of members) byCluster.set(m.clusterId, [...(byCluster.get(m.clusterId) ?? []), m]);
  for (const same of byCluster.values()) {
    if (same.length < 2) continue;
    const via = [...new Set(same.flatMap((m) => [m.context, ...m.alsoVia]))];
    findings.push(finding('DR002', 'error', `${DR_RULES.DR002}: ${same.map(where).join(' and ')} are in the same cluster (reached through ${via.join(', ')}). The two agents cannot be deployed to the same cluster.`, same));
  }

  const known = members.filter((m) => m.availability !== 'unknown');
  const ha = disagreement(known, (m) => m.availability);
  if (ha) findings.push(finding('DR003', 'error', `${DR_RULES.DR003}: ${ha}.`, known));

  const byoa = disagreement(members, (m) => (m.byoa ? 'BYOA' : 'Harness-managed Argo CD'));
  if (byoa) findings.push(finding('DR004', 'error', `${DR_RULES.DR004}: ${byoa}.`, members));

  const versioned = members.filter((m) => m.version !== undefined);
  const skew = disagreement(versioned, (m) => `agent ${m.version}`);
  if (skew) findings.push(finding('DR005', 'warning', `${DR_RULES.DR005}: ${skew}. Upgrade them to one version before a failover.`, versioned));

  const withoutDr = members.filter((m) => !m.drIdentifier);
  const running = members.filter(isRunning);
  if (withoutDr.length > 0 && running.length > 1) {
    findings.push(
      finding(
        'DR006',
        'error',
        `${running.length} agents with identifier ${id} run (${running.map(where).join(', ')}) and ${withoutDr.map(where).join(', ')} ${withoutDr.length > 1 ? 'have' : 'has'} no disaster recovery identifier: ` +
          `the reconcilers delete each other's entities — each removes what its own cluster does not hold, so entities on Harness will be deleted. ` +
          `Enable Disaster Recovery (primary and secondary identifiers) or scale all but one down.`,
        members,
      ),
    );
  }

  const byDr = new Map<string, DiscoveredAgent[]>();
  for (const m of members) if (m.drIdentifier) byDr.set(m.drIdentifier, [...(byDr.get(m.drIdentifier) ?? []), m]);
  for (const [dr, same] of byDr) {
    if (same.length > 1) findings.push(finding('DR007', 'error', `${DR_RULES.DR007}: ${same.map(where).join(' and ')} both use "${dr}"; each member needs its own identifier.`, same));
  }

  const richest = members.reduce((a, b) => (entities(b) > entities(a) ? b : a));
  if (entities(richest) > 0) {
    for (const m of members) {
      if (m === richest || m.counts.applications === undefined) continue;
      if (entities(m) === 0) {
        findings.push(
          // About the empty member alone: the tree shows it there, not on the pair.
          finding('DR008', 'warning', `${where(m)} holds no Applications while ${where(richest)} holds ${richest.counts.applications ?? 0}: not yet restored. Restore a backup of ${where(richest)} into it before failing over.`, [m]),
        );
        continue;
      }
      // Partly restored: fewer Applications or ApplicationSets than the fullest member is not "rules pass".
      const short = (['applications', 'applicationSets'] as const)
        .map((k) => ({ k, have: m.counts[k] ?? 0, want: richest.counts[k] ?? 0 }))
        .filter((c) => m.counts[c.k] !== undefined && c.have < c.want)
        .map((c) => `${c.have} of ${c.want} ${c.k === 'applications' ? 'Applications' : 'ApplicationSets'} (${c.want - c.have} missing)`);
      if (short.length > 0) {
        findings.push(
          finding('DR008', 'warning', `${where(m)} holds ${short.join(' and ')} of ${where(richest)}: partly restored. Run "Compare with Live…" to list the missing objects, then restore a backup of ${where(richest)} into it before failing over.`, [m]),
        );
      }
    }
  }
  return findings;
}

/** Findings on an agent alone with its identity. */
export function checkSingleAgent(agent: DiscoveredAgent): Finding[] {
  if (!agent.drIdentifier) return [];
  return [finding('DR009', 'warning', `${DR_RULES.DR009}: ${where(agent)} has disaster recovery identifier "${agent.drIdentifier}" but no other member of agent ${agent.identity.agent} answered in any reachable context.`, [agent])];
}
