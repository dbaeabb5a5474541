// What the status bar says about the machine's current kubeconfig context: its DR role (primary, secondary, fenced,
// no agent), and which tree row a click reveals. Plain data from the tree's snapshot (no 'vscode' import, no
// fetching); it reads the current context and never changes it.
import type { AgentsSnapshot, DiscoveredAgent } from '../../core/agents/model';
import type { RoleLookup } from './nodes';

export interface CurrentRole {
  /** Status-bar text, with a codicon. */
  text: string;
  /** Markdown. */
  tooltip: string;
  /** The tree row a click reveals; undefined: nothing to reveal (yet). */
  nodeId?: string;
}

function roleOf(agent: DiscoveredAgent, snapshot: AgentsSnapshot, roles: RoleLookup): string {
  const known = roles.roleOf(agent)?.role;
  if (known === 'PRIMARY' || known === 'SECONDARY') return known.toLowerCase();
  const group = snapshot.groups.find((g) => g.members.some((m) => m.id === agent.id));
  if (!group) return agent.drIdentifier ? 'DR member alone' : 'agent, no DR';
  if (!agent.drIdentifier) return 'member without DR identifier';
  // The same guess as the tree: the member holding the entities is the likely primary.
  return group.members[0]?.id === agent.id ? 'primary?' : 'secondary?';
}

/** `started`: discovery ran at least once (it starts when the view is shown or a command needs it). */
export function currentRole(snapshot: AgentsSnapshot, roles: RoleLookup, started: boolean): CurrentRole {
  const current = snapshot.contexts.find((c) => c.isCurrent);
  const click = 'Click to show it in the DR Agents view (the current context is never changed).';
  if (!started) return { text: '$(shield) DR', tooltip: `GitOps DR: the DR role of the current kubeconfig context.\n\nClick to open the DR Agents view and probe the contexts.` };
  if (!current) return { text: '$(shield) DR: no current context', tooltip: 'The kubeconfig sets no current-context: nothing to show.' };
  const name = current.name;
  if (current.state === 'probing') return { text: `$(loading~spin) DR ${name}`, tooltip: `Probing ${name}…`, nodeId: `context:${name}` };
  if (current.state === 'unreachable') return { text: `$(debug-disconnect) DR ${name}: unreachable`, tooltip: `Current context **${name}** is unreachable: ${current.reason ?? 'no answer'}.\n\n${click}`, nodeId: `context:${name}` };
  // Of several agents in one context, a DR member first (grouped), in namespace order.
  const agents = [...current.agents].sort((a, b) => Number(isGrouped(b, snapshot)) - Number(isGrouped(a, snapshot)));
  const agent = agents[0];
  if (!agent) return { text: `$(circle-slash) DR ${name}: no agent`, tooltip: `Current context **${name}** runs no GitOps agent.\n\n${click}`, nodeId: `context:${name}` };
  const role = roleOf(agent, snapshot, roles);
  const fenced = agent.syncs?.state === 'fenced';
  const more = agents.length > 1 ? ` (+${agents.length - 1})` : '';
  const lines = [
    `Current context **${name}**: agent \`${agent.identity.agent || '?'}\` in \`${agent.namespace}\`, ${role}${fenced ? ', **fenced** (syncs denied on every AppProject)' : agent.syncs?.state === 'partly' ? ', partly fenced' : ''}`,
    ...(agents.length > 1 ? ['', `Also in this context: ${agents.slice(1).map((a) => `\`${a.namespace}\``).join(', ')}`] : []),
    ...(role.endsWith('?') ? ['', 'The `?` marks a guess: connect to Harness (Set Harness API Key) for the real role.'] : []),
    '',
    click,
  ];
  return { text: `${fenced ? '$(lock)' : '$(shield)'} DR ${name}: ${role}${fenced ? ' · fenced' : ''}${more}`, tooltip: lines.join('\n'), nodeId: `agent:${agent.id}` };
}

function isGrouped(agent: DiscoveredAgent, snapshot: AgentsSnapshot): boolean {
  return snapshot.groups.some((g) => g.members.some((m) => m.id === agent.id));
}
