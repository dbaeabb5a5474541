// Which agent namespace "Back up agent" is about: a tree node, `{context, namespace}`, or (from the palette) a
// pick among the discovered agents, or any context and a namespace typed in.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { contextPickItems } from '../contextPickItems';

export interface BackupTarget {
  context: string;
  namespace: string;
}

function asTarget(v: unknown): BackupTarget | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { context?: unknown; namespace?: unknown; agent?: unknown };
  if (typeof o.context === 'string' && typeof o.namespace === 'string') return { context: o.context, namespace: o.namespace };
  return o.agent ? asTarget(o.agent) : undefined; // a tree node carries its DiscoveredAgent in `agent`
}

/** The target named by the command argument, if it names one. */
export function targetFromArg(arg: unknown): BackupTarget | undefined {
  return asTarget(arg);
}

/** Palette: known agents first, then "another context…" (context pick + namespace input). */
export async function pickBackupTarget(services: ExtensionServices): Promise<BackupTarget | undefined> {
  type Item = vscode.QuickPickItem & { target?: BackupTarget; other?: true };
  const items: Item[] = [];
  const snapshot = services.agents?.model.snapshot;
  for (const a of [...(snapshot?.groups.flatMap((g) => g.members) ?? []), ...(snapshot?.singles ?? [])]) {
    items.push({ label: `${a.context}/${a.namespace}`, description: [a.identity.agent, a.drIdentifier ? `DR ${a.drIdentifier}` : undefined].filter(Boolean).join(' · '), target: { context: a.context, namespace: a.namespace } });
  }
  items.push({ label: '$(server-environment) Another context and namespace…', other: true });
  const picked = await vscode.window.showQuickPick(items, { title: 'GitOps DR: back up which agent?', placeHolder: 'context/namespace' });
  if (!picked) return undefined;
  if (picked.target) return picked.target;
  const kubeconfig = await services.kube.kubeconfig();
  const ctx = await vscode.window.showQuickPick(
    contextPickItems(kubeconfig.contexts, snapshot?.contexts).map((c) => ({ label: c.label, description: c.description, context: c.context, ns: c.namespace })),
    { title: 'GitOps DR: context of the agent' },
  );
  if (!ctx) return undefined;
  const namespace = await vscode.window.showInputBox({
    title: `GitOps DR: agent namespace in ${ctx.context}`,
    value: ctx.ns ?? 'argocd',
    validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'a Kubernetes namespace name: lower-case letters, digits and -'),
  });
  return namespace ? { context: ctx.context, namespace } : undefined;
}
