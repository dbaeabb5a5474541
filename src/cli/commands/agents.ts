// gitops-dr agents: DR pairs with their rule findings, single agents, and unreachable contexts.
import { choiceFlag, parseArgs } from '../args';
import { EXIT, type CliCommand } from '../io';
import { KUBE_FLAGS, kubeconfigFromFlags, timeoutMsFromFlags } from '../kubeFlags';
import { formatTable } from '../table';
import { discoverAll } from '../../core/agents/discover';
import { describeAgent } from '../../core/agents/describe';
import type { AgentsSnapshot, DiscoveredAgent } from '../../core/agents/model';

function agentRow(group: string, a: DiscoveredAgent): string[] {
  const d = describeAgent(a);
  return [group, a.context, a.namespace, a.identity.agent, a.drIdentifier ?? '-', a.availability + (a.byoa ? ' BYOA' : ''), a.version ?? '?', d.health, String(a.counts.applications ?? '?')];
}

function snapshotToJson(s: AgentsSnapshot): unknown {
  return {
    pairs: s.groups.map((g) => ({ identity: g.identity, members: g.members, findings: g.findings })),
    singles: s.singles,
    findings: s.singleFindings,
    contextsWithoutAgents: s.contexts.filter((c) => c.state === 'reachable' && c.agents.length === 0).map((c) => c.name),
    unreachable: s.contexts.filter((c) => c.state === 'unreachable').map((c) => ({ context: c.name, server: c.server, reason: c.reason })),
  };
}

export const agentsCommand: CliCommand = {
  summary: 'discover GitOps agents, their DR pairs and rule findings',
  usage: 'usage: gitops-dr agents [--kubeconfig P]... [--timeout S] [-o table|json]\n  exit 1 when a DR rule is violated (error findings)',
  async run(args, io) {
    const parsed = parseArgs(args, [...KUBE_FLAGS, { name: 'output', short: 'o', value: true }]);
    const output = choiceFlag(parsed, 'output', ['table', 'json'], 'table');
    const kubeconfig = await kubeconfigFromFlags(parsed, io);
    const snapshot = await discoverAll(kubeconfig, { timeoutMs: timeoutMsFromFlags(parsed, 5) });
    const errors = [...snapshot.groups.flatMap((g) => g.findings), ...snapshot.singleFindings].filter((f) => f.severity === 'error');
    if (output === 'json') {
      io.stdout.write(JSON.stringify(snapshotToJson(snapshot), null, 2) + '\n');
      return errors.length > 0 ? EXIT.findings : EXIT.ok;
    }
    const rows: string[][] = [];
    snapshot.groups.forEach((g, i) => g.members.forEach((m) => rows.push(agentRow(`pair ${i + 1}`, m))));
    snapshot.singles.forEach((a) => rows.push(agentRow('single', a)));
    io.stdout.write(formatTable(['GROUP', 'CONTEXT', 'NAMESPACE', 'AGENT', 'DR ID', 'TYPE', 'VERSION', 'HEALTH', 'APPS'], rows));
    const findings = [...snapshot.groups.flatMap((g) => g.findings), ...snapshot.singleFindings];
    if (findings.length > 0) {
      io.stdout.write('\nfindings:\n');
      for (const f of findings) io.stdout.write(`  ${f.severity} ${f.code} ${f.message}\n`);
    }
    const empty = snapshot.contexts.filter((c) => c.state === 'reachable' && c.agents.length === 0);
    if (empty.length > 0) io.stdout.write(`\ncontexts without agents: ${empty.map((c) => c.name).join(', ')}\n`);
    const down = snapshot.contexts.filter((c) => c.state === 'unreachable');
    if (down.length > 0) {
      io.stdout.write('\nunreachable:\n');
      for (const c of down) io.stdout.write(`  ${c.name}: ${c.reason ?? 'unknown'}\n`);
    }
    return errors.length > 0 ? EXIT.findings : EXIT.ok;
  },
};
