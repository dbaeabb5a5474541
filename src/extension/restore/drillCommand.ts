// "Run Restore Drill" on a member of a DR pair (or with { uri | fromStore, context, namespace }): the core drill into
// a scratch namespace of that cluster, with cancellable progress. The backup is a file, an open or in-memory backup,
// or the newest stored backup of the agent (verified; the primary's before the secondary's own). The Markdown report
// (counts, RTO, no Secret value) is written with mode 0600 and opened; the RTO is shown in the notification.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDrillMarkdown, runDrill, type DrillReport } from '../../core/drill/drill';
import { RestoreRefusedError } from '../../core/restore/input';
import type { ExtensionServices } from '../services';
import { showRefusal } from './restoreCommand';
import { pickBackupUri, readBackupInput, targetOf, uriArg } from './targets';
import { signalOf } from '../lifecycle';
import { restoreSources, sourceLabel } from './restoreSource';
import { loadNewestStored, storedSourceItem, storedTargetOf } from './storedSource';

export interface DrillArgs {
  uri?: vscode.Uri | string;
  /** The newest stored backup of the target's agent instead of a file. */
  fromStore?: boolean;
  context?: string;
  namespace?: string;
  /** Where the Markdown report goes (default: the extension's storage, drills/). */
  reportPath?: string;
  /** false: no pickers, no editor (tests, automation). */
  confirm?: boolean;
}

export type DrillCommandResult = (DrillReport & { reportPath: string; message: string }) | { cancelled: true } | { refused: string[] };

/** The cluster to drill on: the secondary of a pair node, else the node (or { context, namespace }) itself. */
function drillTargetOf(arg: unknown): { context?: string; namespace?: string } {
  const node = arg as { agent?: { context: string; namespace: string }; group?: { members?: Array<{ context: string; namespace: string }> }; contextValue?: string } | undefined;
  if (node?.agent && node.contextValue === 'agent.member.primary') {
    const other = node.group?.members?.find((m) => m.context !== node.agent!.context || m.namespace !== node.agent!.namespace);
    if (other) return other;
  }
  return node?.agent ?? targetOf(arg);
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** What the drill reads: the backup's URI and how messages name it; undefined when the user cancelled. */
async function chooseSource(services: ExtensionServices, arg: DrillArgs, target: { context: string; namespace?: string }, interactive: boolean): Promise<{ uri: vscode.Uri; label: string } | undefined> {
  const stored = storedTargetOf(services, target.context, target.namespace);
  if (arg.fromStore) {
    if (!stored) throw new Error(services.storedBackups?.location() ? `${target.context}${target.namespace ? `/${target.namespace}` : ''} is no agent of the DR Agents view: the store keeps backups by agent` : 'no backup location configured (setting gitopsDr.backupLocation)');
    return loadNewestStored(services, stored);
  }
  const given = uriArg(arg);
  if (given || !interactive) {
    const uri = await pickBackupUri(given, interactive);
    return uri ? { uri, label: uri.scheme === 'file' ? uri.fsPath : sourceLabel(uri, services) } : undefined;
  }
  // Asked, never taken silently: the newest stored backup (when a location is set), this session's and recent backups.
  const items: Array<vscode.QuickPickItem & { uri?: string; fromStore?: true }> = [
    ...(stored ? [storedSourceItem(services, stored)] : []),
    ...restoreSources(services).map((s) => ({ label: s.label, description: s.description, uri: s.uri })),
    { label: '$(folder-opened) Browse…', description: 'choose a backup file' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Drill which backup on ${target.context}?`, placeHolder: 'restored into a scratch namespace, verified, then removed' });
  if (!picked) return undefined;
  if (picked.fromStore && stored) return loadNewestStored(services, stored);
  const uri = picked.uri ? vscode.Uri.parse(picked.uri) : await pickBackupUri(undefined, true);
  return uri ? { uri, label: uri.scheme === 'file' ? uri.fsPath : sourceLabel(uri, services) } : undefined;
}

export async function drillCommand(services: ExtensionServices, arg?: unknown): Promise<DrillCommandResult> {
  const args = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {}) as DrillArgs;
  const interactive = args.confirm !== false;
  const target = drillTargetOf(arg);
  if (!target.context) throw new Error('name the cluster: run the drill on a member of a DR pair, or pass { context, namespace }');
  const source = await chooseSource(services, args, { context: target.context, ...(target.namespace ? { namespace: target.namespace } : {}) }, interactive);
  if (!source) return { cancelled: true };
  const client = await services.kube.client(target.context);
  const input = await readBackupInput(source.uri, services.backups);
  let report: DrillReport;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GitOps DR: restore drill of ${path.basename(source.label)} on ${target.context}`, cancellable: true },
      (progress, token) => {
        const signal = signalOf(token);
        return runDrill(client, input, { ...(target.namespace ? { argoNamespace: target.namespace } : {}), signal, sourceLabel: source.label, onPhase: (p) => progress.report({ message: p }) });
      },
    );
  } catch (e) {
    if (e instanceof RestoreRefusedError) return { refused: await showRefusal(services, 'Drill', source.label, e.problems, interactive) };
    throw e;
  }
  const markdown = formatDrillMarkdown(report);
  const reportPath = args.reportPath ?? path.join(services.context.globalStorageUri.fsPath, 'drills', `drill-${target.context.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp(new Date(report.startedAt))}.md`);
  await fs.mkdir(path.dirname(reportPath), { recursive: true, mode: 0o700 });
  await fs.writeFile(reportPath, markdown, { mode: 0o600 });
  await fs.chmod(reportPath, 0o600); // an existing file keeps its mode on write
  const rto = report.rtoMs !== undefined ? `RTO ${(report.rtoMs / 1000).toFixed(2)} s` : 'RTO not reached';
  const cleanup = report.cleanup.namespaceDeleted ? 'scratch namespace removed' : `scratch namespace ${report.scratchNamespace} NOT removed: ${report.cleanup.error ?? ''}`;
  const message = `Restore drill on ${target.context} ${report.ok ? 'PASSED' : 'FAILED'}: ${rto}, ${report.counts.verified}/${report.counts.objects} objects verified${report.error ? ` (${report.error})` : ''}; ${cleanup}. Report: ${reportPath}`;
  (report.ok && report.cleanup.namespaceDeleted ? services.log.info : services.log.error)(`drill: ${message}`);
  if (interactive) {
    const shown = report.ok && report.cleanup.namespaceDeleted ? vscode.window.showInformationMessage(`GitOps DR: ${message}`, 'Open Report') : vscode.window.showErrorMessage(`GitOps DR: ${message}`, 'Open Report');
    void shown.then((a) => a && vscode.window.showTextDocument(vscode.Uri.file(reportPath), { preview: true }));
    await vscode.window.showTextDocument(vscode.Uri.file(reportPath), { preview: true });
  }
  return { ...report, reportPath, message };
}
