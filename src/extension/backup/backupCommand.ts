// "Back up agent": the backup `argocd admin export` would make, run with a cancellable progress notification that
// counts objects as they come, opened as a read-only in-memory document with Secret values masked. Nothing is
// written to disk until the user saves (GitOps DR: Save Backup As… writes mode 0600, atomically). The summary goes
// to the log channel; no Secret value is ever logged.
import * as vscode from 'vscode';
import { describeError, isKubeError } from '../../core/kube/errors';
import { describeBackup, formatCounts, runBackup, totalObjects, type BackupProgress, type BackupResult } from '../../core/backup';
import type { ExtensionServices } from '../services';
import { pickBackupTarget, targetFromArg, type BackupTarget } from './backupTarget';
import { COMMANDS } from '../commandIds';
import { signalOf } from '../lifecycle';

export interface BackupCommandOptions {
  /** Run `argocd admin export` in the application controller instead of reading the API (default: setting). */
  exec?: boolean;
  applicationNamespaces?: string[];
  applicationSetNamespaces?: string[];
  /** Do not offer "Save as" in a notification (tests). */
  quiet?: boolean;
}

/** Called with options (automation, tests): failures are thrown. Called by a person: shown, never thrown. */
function calledByAutomation(options: BackupCommandOptions | undefined): boolean {
  return options !== undefined;
}

export interface BackupCommandResult {
  /** The editor tab's document URI (`gitops-dr-backup:`, in memory until saved). */
  document: string;
  capturedAt: string;
  target: BackupTarget;
  result: BackupResult;
}


function progressMessage(p: BackupProgress | undefined): string {
  return p ? `${p.total} objects (${formatCounts(p.counts)})` : 'connecting…';
}

export async function backupAgentCommand(services: ExtensionServices, arg?: unknown, given?: BackupCommandOptions): Promise<BackupCommandResult | undefined> {
  try {
    return await backupAgent(services, arg, given ?? {});
  } catch (e) {
    if (calledByAutomation(given)) throw e;
    return undefined; // already shown and logged
  }
}

async function backupAgent(services: ExtensionServices, arg: unknown, options: BackupCommandOptions): Promise<BackupCommandResult | undefined> {
  const named = targetFromArg(arg);
  if (!named && services.context.extensionMode === vscode.ExtensionMode.Test) throw new Error('name the agent: { context, namespace } or a tree node');
  const target = named ?? (await pickBackupTarget(services));
  if (!target) return undefined;
  const { log } = services;
  const exec = options.exec ?? vscode.workspace.getConfiguration('gitopsDr').get<string>('backup.mode', 'native') === 'exec';
  const where = `${target.context}/${target.namespace}`;
  log.info(`backup: starting ${where} (${exec ? 'exec: argocd admin export in the application controller' : 'native: Kubernetes API'})`);

  const chunks: string[] = [];
  const capturedAt = new Date();
  let result: BackupResult;
  try {
    // A context the tree already found unreachable fails at once with the reason it was given.
    const known = services.agents?.model.snapshot.contexts.find((c) => c.name === target.context);
    if (known?.state === 'unreachable') throw new Error(`context ${target.context} is unreachable (${known.reason ?? 'no answer'}); fix the connection, then run "Retry" on it in the DR Agents view`);
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GitOps DR: backing up ${where}`, cancellable: true },
      async (progress, token) => {
        const signal = signalOf(token);
        const client = await services.kube.client(target.context);
        let last: BackupProgress | undefined;
        let shownAt = 0;
        try {
          progress.report({ message: progressMessage(undefined) });
          return await runBackup(
            client,
            {
              namespace: target.namespace,
              exec,
              signal,
              ...(options.applicationNamespaces ? { applicationNamespaces: options.applicationNamespaces } : {}),
              ...(options.applicationSetNamespaces ? { applicationSetNamespaces: options.applicationSetNamespaces } : {}),
              onProgress: (p) => {
                last = p;
                const now = Date.now();
                if (now - shownAt > 100) {
                  shownAt = now;
                  progress.report({ message: progressMessage(p) });
                }
              },
            },
            (chunk) => {
              chunks.push(chunk);
            },
          );
        } finally {
          if (last) progress.report({ message: progressMessage(last) });
        }
      },
    );
  } catch (e) {
    if (isKubeError(e, 'cancelled')) {
      log.info(`backup of ${where} cancelled; nothing was kept`);
      return undefined;
    }
    const message = describeError(e);
    log.error(`backup of ${where} failed: ${message}`);
    void vscode.window.showErrorMessage(`GitOps DR: backup of ${where} failed: ${message}`);
    throw e instanceof Error ? e : new Error(message);
  }

  for (const line of describeBackup(result, target.context)) {
    if (line.startsWith('warning') || line.startsWith('missing')) log.warn(`backup: ${line}`);
    else log.info(`backup: ${line}`);
  }

  if (!services.backups) throw new Error('the backup documents are not registered');
  const uri = services.backups.add(target, capturedAt, chunks.join(''));
  chunks.length = 0;
  const doc = await vscode.workspace.openTextDocument(uri);
  const yamlDoc = doc.languageId === 'yaml' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  await vscode.window.showTextDocument(yamlDoc, { preview: false });

  if (!options.quiet) {
    const missing = result.missing.length > 0 ? ` Missing: ${result.missing.join(', ')}.` : '';
    void vscode.window
      .showInformationMessage(
        `GitOps DR: backup of ${where}: ${totalObjects(result.counts)} objects.${missing} It is held in memory only (Secret values masked), not on disk: Save As writes it with mode 0600; it holds Secret data, store it like a credential.`,
        'Save As…',
        'Reveal Secret Values',
      )
      .then((choice) =>
        choice === 'Save As…'
          ? vscode.commands.executeCommand(COMMANDS.saveBackupAs, { document: yamlDoc.uri.toString() })
          : choice
            ? vscode.commands.executeCommand(COMMANDS.revealBackupSecrets, yamlDoc.uri)
            : undefined,
      );
  }
  return { document: yamlDoc.uri.toString(), capturedAt: capturedAt.toISOString(), target, result };
}
