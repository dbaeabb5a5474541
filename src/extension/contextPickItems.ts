// The contexts a picker offers, marked with what the tree already knows: a context found unreachable is listed
// last with its reason, so nobody waits 30 s on it by surprise (the command then fails at once with that reason).
// No 'vscode' import: unit-tested as plain data.
import type { ContextStatus } from '../core/agents/model';

export interface PickableContext {
  name: string;
  server?: string;
  namespace?: string;
}

export interface ContextPickItem {
  label: string;
  description: string;
  context: string;
  namespace?: string;
  /** The reason the tree gave, when the context is known to be unreachable. */
  unreachable?: string;
}

export function contextPickItems(contexts: readonly PickableContext[], known: readonly ContextStatus[] | undefined): ContextPickItem[] {
  const items = contexts.map((c): ContextPickItem => {
    const status = known?.find((k) => k.name === c.name);
    const where = [c.namespace ? `namespace ${c.namespace}` : undefined, c.server].filter(Boolean).join(' · ');
    if (status?.state === 'unreachable') {
      const reason = status.reason ?? 'no answer';
      return { label: `$(debug-disconnect) ${c.name}`, description: `unreachable: ${reason}`, context: c.name, ...(c.namespace ? { namespace: c.namespace } : {}), unreachable: reason };
    }
    return { label: c.name, description: where, context: c.name, ...(c.namespace ? { namespace: c.namespace } : {}) };
  });
  // Stable: reachable contexts keep their kubeconfig order, the unreachable ones follow.
  return [...items.filter((i) => !i.unreachable), ...items.filter((i) => i.unreachable)];
}
