// "Save backup as…": writes a backup to a file with mode 0600 (temporary file, then rename), suggesting
// `<context>-<namespace>-<capture time, UTC>.backup.yaml`. A backup held in memory is written in full (Secret
// values included, never the masked view); its read-only tab is replaced by the saved file.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultBackupFileName, writeBackupFile } from '../../core/backup';
import { describeError } from '../../core/kube/errors';
import type { ExtensionServices } from '../services';
import { rememberBackupFile } from './recentBackups';

export interface SaveBackupArgs {
  /** URI (string or Uri) of the backup document; default: the active editor's. */
  document?: string | vscode.Uri;
  /** Write here without asking (tests, automation). */
  path?: string;
}

function findDocument(arg: SaveBackupArgs | vscode.Uri | undefined): vscode.TextDocument | undefined {
  const wanted = arg instanceof vscode.Uri ? arg.toString() : typeof arg?.document === 'string' ? arg.document : arg?.document?.toString();
  if (!wanted) return vscode.window.activeTextEditor?.document;
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === wanted);
}

export async function saveBackupAsCommand(services: ExtensionServices, arg?: SaveBackupArgs | vscode.Uri): Promise<{ path: string } | undefined> {
  const doc = findDocument(arg);
  if (!doc) {
    void vscode.window.showWarningMessage('GitOps DR: open a backup first (GitOps DR: Back Up Agent).');
    return undefined;
  }
  const held = services.backups?.get(doc.uri);
  let target = arg && !(arg instanceof vscode.Uri) ? arg.path : undefined;
  if (!target) {
    const dir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
    const base = path.basename(doc.uri.path);
    const name = held ? defaultBackupFileName(held.target.context, held.target.namespace, held.capturedAt) : base.endsWith('.yaml') || base.endsWith('.yml') ? base : `${base}.backup.yaml`;
    const picked = await vscode.window.showSaveDialog({
      title: 'Save backup (it holds Secret data; written with mode 0600)',
      defaultUri: vscode.Uri.file(path.join(dir, name)),
      filters: { 'Argo CD backup': ['yaml', 'yml'] },
    });
    if (!picked) return undefined;
    target = picked.fsPath;
  }
  try {
    await writeBackupFile(target, held ? held.text : doc.getText());
  } catch (e) {
    const message = describeError(e);
    services.log.error(`backup: could not save ${target}: ${message}`);
    void vscode.window.showErrorMessage(`GitOps DR: could not save the backup to ${target}: ${message}. Choose a folder you can write to and run Save Backup As… again.`);
    return undefined;
  }
  services.log.info(`backup: saved ${target} (mode 0600)`);
  await rememberBackupFile(services, target);
  if (held) {
    held.savedTo = target;
    // Replace the in-memory tab by the saved file.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: false });
  } else if (doc.isUntitled) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: false });
  }
  return { path: target };
}
