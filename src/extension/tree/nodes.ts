// The agents tree as plain data: what each row says, its icon, tooltip and contextValue. No 'vscode' import, so
// the shape of the tree is unit-tested without VS Code; the TreeDataProvider only maps these to TreeItems.
import type { AgentGroup, AgentsSnapshot, ContextStatus, DiscoveredAgent, Finding } from '../../core/agents/model';
import { describeAgent } from '../../core/agents/describe';
import { NO_STORE, pairRpo, storedBackupsNode, type StoreLookup, type StoredBackupRef } from './storeNodes';

/** A codicon id and an optional theme colour id. */
export interface IconSpec {
  id: string;
  color?: string;
}

export type DrRole = 'PRIMARY' | 'SECONDARY' | 'UNKNOWN_TYPE';

/** What Harness says about one DR node, when an API key is set. */
export interface HarnessRole {
  role: DrRole;
  health?: string;
}

export interface TreeNode {
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon?: IconSpec;
  contextValue: string;
  collapsed?: boolean;
  children?: TreeNode[];
  agent?: DiscoveredAgent;
  group?: AgentGroup;
  context?: ContextStatus;
  finding?: Finding;
  /** A backup in the backup store (its row under "Stored backups"). */
  storedBackup?: StoredBackupRef;
}

export interface RoleLookup {
  /** True when Harness was asked (an API key is set), even if it did not know this agent. */
  connected: boolean;
  roleOf(agent: DiscoveredAgent): HarnessRole | undefined;
}

export const NO_ROLES: RoleLookup = { connected: false, roleOf: () => undefined };

/** Above this many rows, contexts without agents (and unreachable ones) fold into one collapsed node. */
export const FOLD_THRESHOLD = 5;

const ICONS = {
  healthy: { id: 'pass-filled', color: 'testing.iconPassed' },
  degraded: { id: 'warning', color: 'list.warningForeground' },
  down: { id: 'error', color: 'list.errorForeground' },
  error: { id: 'error', color: 'list.errorForeground' },
  warning: { id: 'warning', color: 'list.warningForeground' },
  info: { id: 'info' },
  scaledToZero: { id: 'debug-pause', color: 'disabledForeground' },
  pairOk: { id: 'link', color: 'testing.iconPassed' },
  context: { id: 'server-environment' },
  unreachable: { id: 'debug-disconnect', color: 'disabledForeground' },
  probing: { id: 'loading~spin' },
  folder: { id: 'folder' },
  fenced: { id: 'lock' },
} satisfies Record<string, IconSpec>;

/** Short row labels for the DR rules (the tree's label must fit the default sidebar; the message goes beside it). */
const FINDING_TITLES: Record<string, string> = {
  DR001: 'namespaces differ',
  DR002: 'same cluster',
  DR003: 'HA types differ',
  DR004: 'Argo CD types differ',
  DR005: 'versions differ',
  DR006: 'reconcilers clash',
  DR007: 'DR identifier shared',
  DR008: 'not fully restored',
  DR009: 'no other member',
};

/** Whether syncs run, for the description ('fenced'), the tooltip and the icon. */
function fenceText(agent: DiscoveredAgent): { short?: string; detail: string } {
  const s = agent.syncs;
  if (!s) return { detail: 'unknown (may not read AppProjects)' };
  if (s.state === 'fenced') return { short: 'fenced', detail: `**fenced**: every AppProject (${s.projects}) denies syncs now` };
  if (s.state === 'partly') return { short: 'partly fenced', detail: `partly fenced: ${s.blocked} of ${s.projects} AppProjects deny every sync now, others some` };
  return { detail: s.projects ? `allowed on all ${s.projects} AppProjects` : 'no AppProjects' };
}

/** \`argocd-application-controller\` -> \`application-controller\`: the agent row above says it is Argo CD. */
function componentLabel(name: string): string {
  return name.startsWith('argocd-') ? name.slice('argocd-'.length) : name;
}

function count(n: number | undefined, what: string): string {
  return n === undefined ? `${what}: not permitted` : `${what}: ${n}`;
}

/** Role shown in the description: Harness's answer, else a guess marked with `?`. */
function roleLabel(agent: DiscoveredAgent, group: AgentGroup | undefined, roles: RoleLookup): string | undefined {
  const known = roles.roleOf(agent);
  if (known && known.role !== 'UNKNOWN_TYPE') return known.role.toLowerCase();
  if (!group || !agent.drIdentifier) return undefined;
  // Without Harness the likely primary is the member holding the entities; the `?` says it is a guess.
  return group.members[0] === agent ? 'primary?' : 'secondary?';
}

function agentTooltip(agent: DiscoveredAgent, group: AgentGroup | undefined, roles: RoleLookup, findings: Finding[]): string {
  const d = describeAgent(agent);
  const known = roles.roleOf(agent);
  const role = known ? `${known.role}${known.health ? ` (Harness: ${known.health})` : ''}` : roles.connected ? 'not known to Harness' : 'role unknown: connect to Harness';
  const id = agent.identity;
  const lines = [
    `**${id.agent || '(no agent identifier)'}** in \`${agent.namespace}\` on \`${agent.context}\``,
    '',
    `- Role: ${role}`,
    `- DR identifier: ${agent.drIdentifier ?? 'none (disaster recovery not enabled)'}`,
    `- Scope: account \`${id.account || '?'}\`${id.org ? `, org \`${id.org}\`` : ''}${id.project ? `, project \`${id.project}\`` : ''}`,
    `- Type: ${agent.availability}, ${agent.byoa ? 'BYOA (existing Argo CD)' : 'Harness-managed Argo CD'}`,
    `- Version: ${agent.version ?? 'unknown'}`,
    `- Health: ${d.health}${d.notReady.length ? ` (not ready: ${d.notReady.join(', ')})` : ''}`,
    `- Syncs: ${fenceText(agent).detail}`,
    `- ${count(agent.counts.applications, 'Applications')}, ${count(agent.counts.appProjects, 'AppProjects')}, ${count(agent.counts.applicationSets, 'ApplicationSets')}`,
    `- ${count(agent.counts.repositories, 'Repositories')}, ${count(agent.counts.clusters, 'Clusters')}`,
    `- Server: ${agent.server}${agent.alsoVia.length ? ` (also via ${agent.alsoVia.join(', ')})` : ''}`,
  ];
  if (group) lines.push(`- Pair: ${group.members.map((m) => `${m.context}/${m.namespace}`).join(' ↔ ')}`);
  if (findings.length) lines.push('', ...findings.map((f) => `- $(${f.severity === 'info' ? 'info' : f.severity}) **${f.code}** ${f.message}`));
  return lines.join('\n');
}

function findingNode(parentId: string, f: Finding, i: number): TreeNode {
  return { id: `${parentId}#finding-${i}`, label: `${f.code} ${FINDING_TITLES[f.code] ?? f.severity}`, description: f.message, tooltip: `**${f.code}** (${f.severity})\n\n${f.message}`, icon: ICONS[f.severity], contextValue: `finding.${f.severity}`, finding: f };
}

function agentChildren(agent: DiscoveredAgent, findings: Finding[]): TreeNode[] {
  const base = `agent:${agent.id}`;
  const rows: TreeNode[] = findings.map((f, i) => findingNode(base, f, i));
  const a = agent.agent;
  rows.push({ id: `${base}#agent`, label: 'gitops-agent', description: `${a.ready}/${a.desired} ready${agent.version ? ` · ${agent.version}` : ''}`, tooltip: `Deployment \`gitops-agent\`: ${a.ready} of ${a.desired} replicas ready${agent.version ? `, image tag ${agent.version}` : ''}`, icon: a.ready > 0 && a.ready >= a.desired ? ICONS.healthy : a.ready > 0 ? ICONS.degraded : ICONS.down, contextValue: 'component' });
  for (const c of agent.argoComponents) {
    const r = c.readiness;
    // Scaled to zero (0/0) is neither healthy nor down: it runs nothing on purpose.
    const icon = r.desired === 0 ? ICONS.scaledToZero : r.ready >= r.desired ? ICONS.healthy : r.ready > 0 ? ICONS.degraded : ICONS.down;
    rows.push({ id: `${base}#${c.name}`, label: componentLabel(c.name), description: r.desired === 0 ? 'scaled to zero' : `${r.ready}/${r.desired} ready`, tooltip: `${c.kind} \`${c.name}\`: ${r.ready} of ${r.desired} replicas ready${r.desired === 0 ? ' (scaled to zero on purpose)' : ''}`, icon, contextValue: 'component' });
  }
  const n = agent.counts;
  const show = (v: number | undefined): string => (v === undefined ? '?' : String(v));
  rows.push({ id: `${base}#counts`, label: 'entities', description: `${show(n.applications)} apps · ${show(n.appProjects)} projects · ${show(n.applicationSets)} appsets · ${show(n.repositories)} repos · ${show(n.clusters)} clusters`, icon: { id: 'symbol-array' }, contextValue: 'counts' });
  return rows;
}

function agentNode(agent: DiscoveredAgent, group: AgentGroup | undefined, roles: RoleLookup, store: StoreLookup = NO_STORE): TreeNode {
  const d = describeAgent(agent);
  // Findings about this member alone; findings about several members stand on the pair.
  const findings = group ? group.findings.filter((f) => f.members.length === 1 && f.members[0] === agent.id) : [];
  const role = roleLabel(agent, group, roles);
  const known = roles.roleOf(agent)?.role;
  const contextValue = group ? (known === 'PRIMARY' ? 'agent.member.primary' : known === 'SECONDARY' ? 'agent.member.secondary' : 'agent.member.unknownRole') : 'agent.single';
  const worst = findings.some((f) => f.severity === 'error') ? 'error' : d.health !== 'healthy' ? d.health : findings.some((f) => f.severity === 'warning') ? 'warning' : 'healthy';
  const fence = fenceText(agent).short;
  // A fenced member shows a lock (coloured like its health); an error or a down agent still shows first.
  const icon = agent.syncs?.state === 'fenced' && worst !== 'error' && worst !== 'down' ? { ...ICONS.fenced, ...(worst === 'healthy' ? {} : { color: ICONS[worst].color }) } : ICONS[worst];
  return {
    id: `agent:${agent.id}`,
    label: group ? agent.context : `${agent.identity.agent || '(no identifier)'}`,
    description: [group ? undefined : agent.context, agent.namespace, role, fence, d.apps].filter(Boolean).join(' · '),
    tooltip: agentTooltip(agent, group, roles, findings),
    icon,
    contextValue,
    collapsed: true,
    children: [...agentChildren(agent, findings), ...[storedBackupsNode(agent, store)].filter((n): n is TreeNode => n !== undefined)],
    agent,
    ...(group ? { group } : {}),
  };
}

/** The member whose backups the RPO is about: Harness's primary, else the likely one (as roleLabel guesses). */
function primaryOf(group: AgentGroup, roles: RoleLookup): DiscoveredAgent {
  return group.members.find((m) => roles.roleOf(m)?.role === 'PRIMARY') ?? group.members[0]!;
}

function groupNode(group: AgentGroup, roles: RoleLookup, store: StoreLookup): TreeNode {
  const errors = group.findings.filter((f) => f.severity === 'error').length;
  const warnings = group.findings.filter((f) => f.severity === 'warning').length;
  const summary = errors ? `${errors} error${errors > 1 ? 's' : ''}` : warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : 'rules pass';
  const id = group.identity;
  const pairFindings = group.findings.filter((f) => f.members.length !== 1);
  const rpo = pairRpo(group, primaryOf(group, roles), store);
  const icon = errors ? ICONS.error : rpo?.severity === 'error' ? rpo.icon : warnings ? ICONS.warning : rpo?.severity === 'warning' ? rpo.icon : ICONS.pairOk;
  return {
    id: `group:${group.key}`,
    label: id.agent,
    description: [`${group.members.length === 2 ? 'DR pair' : `${group.members.length} members`}`, summary, rpo?.text].filter(Boolean).join(' · '),
    tooltip: [`**DR pair ${id.agent}**`, '', `account \`${id.account}\`${id.org ? ` · org \`${id.org}\`` : ''}${id.project ? ` · project \`${id.project}\`` : ''}`, '', ...group.members.map((m) => `- ${m.context}/${m.namespace}: DR identifier ${m.drIdentifier ?? 'none'}`), ...(rpo ? ['', rpo.detail] : []), ...(group.findings.length ? ['', ...group.findings.map((f) => `- **${f.code}** ${f.message}`)] : [])].join('\n'),
    icon,
    contextValue: 'agentGroup',
    collapsed: false,
    children: [...group.members.map((m) => agentNode(m, group, roles, store)), ...pairFindings.map((f, i) => findingNode(`group:${group.key}`, f, i))],
    group,
  };
}

function contextNode(c: ContextStatus): TreeNode {
  const probing = c.state === 'probing';
  const reachable = c.state === 'reachable';
  return {
    id: `context:${c.name}`,
    label: c.name,
    description: probing ? 'probing…' : reachable ? `${c.serverVersion ?? ''} · no agent${c.isCurrent ? ' · current' : ''}` : `unreachable: ${c.reason ?? 'unknown'}`,
    tooltip: [`**${c.name}**${c.isCurrent ? ' (current context)' : ''}`, '', `- Server: ${c.server ?? 'unknown'}`, `- Kubeconfig: ${c.file ?? 'unknown'}`, reachable ? `- Version: ${c.serverVersion}` : `- ${probing ? 'Probing…' : `Unreachable: ${c.reason}`}`, ...(c.partial ? [`- Partial: ${c.partial}`] : [])].join('\n'),
    icon: probing ? ICONS.probing : reachable ? ICONS.context : ICONS.unreachable,
    contextValue: probing ? 'context.probing' : reachable ? 'context.reachable' : 'context.unreachable',
    context: c,
  };
}

function folded(id: string, label: string, nodes: TreeNode[]): TreeNode[] {
  if (nodes.length <= FOLD_THRESHOLD) return nodes;
  return [{ id, label, description: String(nodes.length), icon: ICONS.folder, contextValue: 'contextGroup', collapsed: true, children: nodes }];
}

/** Roots: DR pairs, then single agents, then contexts without agents, then unreachable contexts. */
export function buildTree(snapshot: AgentsSnapshot, roles: RoleLookup = NO_ROLES, store: StoreLookup = NO_STORE): TreeNode[] {
  const singles = snapshot.singles.map((a) => {
    const node = agentNode(a, undefined, roles, store);
    const findings = snapshot.singleFindings.filter((f) => f.members.includes(a.id));
    if (findings.length) {
      node.children = [...findings.map((f, i) => findingNode(node.id, f, i)), ...(node.children ?? [])];
      node.icon = findings.some((f) => f.severity === 'error') ? ICONS.error : ICONS.warning;
      node.tooltip += `\n\n${findings.map((f) => `- **${f.code}** ${f.message}`).join('\n')}`;
    }
    return node;
  });
  const empty = snapshot.contexts.filter((c) => c.state !== 'unreachable' && c.agents.length === 0).map(contextNode);
  const down = snapshot.contexts.filter((c) => c.state === 'unreachable').map(contextNode);
  return [
    ...snapshot.groups.map((g) => groupNode(g, roles, store)),
    ...singles,
    ...folded('contexts:empty', 'Contexts without agents', empty),
    ...folded('contexts:unreachable', 'Unreachable contexts', down),
  ];
}
