// What the restore target picker offers: agents first, then bare contexts; the backup's own source (the context it
// was taken from) last and marked, so that Enter on the first row never restores a backup over its own source.
// Unreachable contexts (known from the tree) also go last, with their reason. No 'vscode' import: unit-tested.
import type { ContextStatus, DiscoveredAgent } from '../../core/agents/model';
import { contextPickItems, type PickableContext } from '../contextPickItems';

export interface TargetPickItem {
  label: string;
  description: string;
  context: string;
  namespace?: string;
  /** This row is where the backup was taken. */
  isSource?: boolean;
  unreachable?: string;
}

export interface BackupOrigin {
  context: string;
  namespace?: string;
}

export function targetPickItems(agents: readonly DiscoveredAgent[], contexts: readonly PickableContext[], known: readonly ContextStatus[] | undefined, source?: BackupOrigin): TargetPickItem[] {
  const agentItems = agents.map((a): TargetPickItem => {
    const isSource = source?.context === a.context && (!source.namespace || source.namespace === a.namespace);
    return {
      label: `${isSource ? '$(arrow-left) ' : ''}${a.context}/${a.namespace}`,
      description: [isSource ? 'the backup\'s source' : undefined, `agent ${a.identity.agent}${a.drIdentifier ? ` · DR ${a.drIdentifier}` : ''}`].filter(Boolean).join(' · '),
      context: a.context,
      namespace: a.namespace,
      ...(isSource ? { isSource } : {}),
    };
  });
  const contextItems = contextPickItems(contexts, known).map((c): TargetPickItem => {
    const isSource = source?.context === c.context;
    return {
      label: c.label,
      description: [isSource ? 'the backup\'s source context' : undefined, c.description].filter(Boolean).join(' · '),
      context: c.context,
      ...(isSource ? { isSource } : {}),
      ...(c.unreachable ? { unreachable: c.unreachable } : {}),
    };
  });
  // Stable within each band: other targets, then the source, then what is known to be unreachable.
  const rank = (i: TargetPickItem): number => (i.unreachable ? 2 : i.isSource ? 1 : 0);
  return [...agentItems, ...contextItems].map((item, index) => ({ item, index })).sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index).map((x) => x.item);
}
