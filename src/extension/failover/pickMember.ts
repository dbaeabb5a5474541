// Which agent a command is about: a tree node, `{context, namespace}`, `{agent: id | {context, namespace}}`, or
// (from the palette) a quick pick.
import * as vscode from 'vscode';
import { discoverAll } from '../../core/agents/discover';
import type { AgentsSnapshot, DiscoveredAgent } from '../../core/agents/model';
import type { ExtensionServices } from '../services';

export type AgentArg =
  | { agent?: DiscoveredAgent | string | { context: string; namespace: string }; context?: string | object; namespace?: string; group?: unknown }
  | undefined;

/** The current snapshot: the tree's when it is there (after its discovery settles), else a fresh discovery. */
export async function currentSnapshot(services: ExtensionServices): Promise<AgentsSnapshot> {
  if (services.agents) {
    await services.agents.whenIdle();
    return services.agents.model.snapshot;
  }
  const kubeconfig = await services.kube.kubeconfig();
  return discoverAll(kubeconfig, { clientFor: (c) => services.kube.client(c), namespaces: services.settings().agentNamespaces });
}

export function allAgents(snapshot: AgentsSnapshot): DiscoveredAgent[] {
  return [...snapshot.groups.flatMap((g) => g.members), ...snapshot.singles];
}

/** The member id (`context/namespace`) the argument names, if any. */
export function memberIdOf(arg: AgentArg): string | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg.agent;
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && 'context' in a && 'namespace' in a) return `${a.context}/${a.namespace}`;
  if (typeof arg.context === 'string' && typeof arg.namespace === 'string') return `${arg.context}/${arg.namespace}`;
  return undefined;
}

export async function pickAgent(snapshot: AgentsSnapshot, arg: AgentArg, options: { title: string; filter?: (a: DiscoveredAgent) => boolean; interactive: boolean }): Promise<DiscoveredAgent | undefined> {
  const id = memberIdOf(arg);
  const agents = allAgents(snapshot);
  if (id) {
    const found = agents.find((a) => a.id === id || a.alsoVia.some((c) => `${c}/${a.namespace}` === id));
    if (!found) throw new Error(`no agent at ${id}; known: ${agents.map((a) => a.id).join(', ') || 'none'}`);
    return found;
  }
  if (!options.interactive) throw new Error('name the agent: { context, namespace } or a tree node');
  const candidates = agents.filter(options.filter ?? (() => true));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('GitOps DR: no agent to choose from.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((a) => ({ label: `${a.context}/${a.namespace}`, description: [a.identity.agent, a.drIdentifier ? `DR ${a.drIdentifier}` : 'no DR identifier'].join(' · '), agent: a })),
    { title: options.title, placeHolder: 'context/namespace of the agent' },
  );
  return picked?.agent;
}
