// "Run Restore Drill" on a member of a DR pair (or with { uri, context, namespace }): the core drill into a scratch
// namespace of that cluster, with cancellable progress; the Markdown report (counts, RTO, no Secret value) opens in
// a preview and the log.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDrillMarkdown, runDrill, type DrillReport } from '../../core/drill/drill';
import { RestoreRefusedError } from '../../core/restore/input';
import type { ExtensionServices } from '../services';
import { showRefusal } from './restoreCommand';
import { pickBackupUri, readBackupInput, targetOf, uriArg } from './targets';
import { signalOf } from '../lifecycle';

/** The cluster to drill on: the secondary of a pair node, else the node (or { context, namespace }) itself. */
function drillTargetOf(arg: unknown): { context?: string; namespace?: string } {
  const node = arg as { agent?: { context: string; namespace: string }; group?: { members?: Array<{ context: string; namespace: string }> }; contextValue?: string } | undefined;
  if (node?.agent && node.contextValue === 'agent.member.primary') {
    const other = node.group?.members?.find((m) => m.context !== node.agent!.context || m.namespace !== node.agent!.namespace);
    if (other) return other;
  }
  return node?.agent ?? targetOf(arg);
}

export async function drillCommand(services: ExtensionServices, arg?: unknown): Promise<DrillReport | { cancelled: true } | { refused: string[] }> {
  const interactive = (arg as { confirm?: boolean } | undefined)?.confirm !== false;
  const target = drillTargetOf(arg);
  if (!target.context) throw new Error('name the cluster: run the drill on a member of a DR pair, or pass { context, namespace }');
  const uri = await pickBackupUri(uriArg(arg), interactive);
  if (!uri) return { cancelled: true };
  const file = uri.scheme === 'file' ? uri.fsPath : uri.toString();
  const client = await services.kube.client(target.context);
  const input = await readBackupInput(uri);
  let report: DrillReport;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GitOps DR: restore drill of ${path.basename(file)} on ${target.context}`, cancellable: true },
      (progress, token) => {
        const signal = signalOf(token);
        return runDrill(client, input, { ...(target.namespace ? { argoNamespace: target.namespace } : {}), signal, sourceLabel: file, onPhase: (p) => progress.report({ message: p }) });
      },
    );
  } catch (e) {
    if (e instanceof RestoreRefusedError) return { refused: await showRefusal(services, 'Drill', file, e.problems, interactive) };
    throw e;
  }
  const markdown = formatDrillMarkdown(report);
  services.log.info(`drill on ${target.context}: ${report.ok ? 'passed' : 'FAILED'}; RTO ${report.rtoMs ?? '-'} ms; scratch namespace ${report.scratchNamespace} ${report.cleanup.namespaceDeleted ? 'deleted' : 'NOT deleted'}`);
  if (interactive) {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return report;
}
