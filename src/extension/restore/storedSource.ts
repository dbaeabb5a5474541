// "The newest stored backup" as the source of a restore or a drill into an agent of the tree: which agent the target
// is (its identity names the folder of the backup store, its cluster is the one whose own backups come last), the
// quick-pick item offering it, and the backup read, verified, into an in-memory document.
import * as vscode from 'vscode';
import type { DiscoveredAgent } from '../../core/agents/model';
import { agentKey } from '../../core/store/layout';
import type { ExtensionServices } from '../services';

export interface StoredTarget {
  agent: DiscoveredAgent;
  key: string;
}

/** The discovered agent at context/namespace (also through another context of its cluster). */
export function agentAt(services: ExtensionServices, context: string, namespace: string | undefined): DiscoveredAgent | undefined {
  const s = services.agents?.model.snapshot;
  const all = [...(s?.groups.flatMap((g) => g.members) ?? []), ...(s?.singles ?? [])];
  return all.find((a) => (a.context === context || a.alsoVia.includes(context)) && (namespace === undefined || a.namespace === namespace));
}

/** The store folder for a target, when a location is configured and the target is an agent of the tree. */
export function storedTargetOf(services: ExtensionServices, context: string, namespace: string | undefined): StoredTarget | undefined {
  if (!services.storedBackups?.location()) return undefined;
  const agent = agentAt(services, context, namespace);
  return agent ? { agent, key: agentKey(agent.identity) } : undefined;
}

export const STORE_ITEM_ICON = '$(cloud-download)';

export function storedSourceItem(services: ExtensionServices, t: StoredTarget): vscode.QuickPickItem & { fromStore: true } {
  return { label: `${STORE_ITEM_ICON} Newest stored backup of ${t.agent.identity.agent}`, description: `${services.storedBackups!.location()} · verified before use; the other member's first`, fromStore: true };
}

/** Reads the newest stored backup for the target (verified) into the backup documents; its URI and label. */
export async function loadNewestStored(services: ExtensionServices, t: StoredTarget): Promise<{ uri: vscode.Uri; label: string }> {
  const access = services.storedBackups;
  if (!access) throw new Error('no backup store: set gitopsDr.backupLocation');
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GitOps DR: reading the newest stored backup of ${t.agent.identity.agent}`, cancellable: true }, (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return access.newest(t.key, t.agent.clusterId, abort.signal);
  });
  for (const w of found.warnings) void vscode.window.showWarningMessage(`GitOps DR: ${w}`);
  return { uri: found.uri, label: found.label };
}
