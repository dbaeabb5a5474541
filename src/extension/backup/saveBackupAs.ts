// "Save backup as…": writes a backup document to a file with mode 0600 (temporary file, then rename), suggesting
// `<context>-<namespace>-<UTC timestamp>.backup.yaml`; the untitled tab is replaced by the saved file.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultBackupFileName, writeBackupFile } from '../../core/backup';
import { describeError } from '../../core/kube/errors';
import type { ExtensionServices } from '../services';
import { openedBackups } from './backupCommand';

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

function suggestedName(doc: vscode.TextDocument): string {
  const target = openedBackups.get(doc.uri.toString());
  if (target) return defaultBackupFileName(target.context, target.namespace);
  const base = path.basename(doc.uri.path);
  return base.endsWith('.yaml') || base.endsWith('.yml') ? base : `${base}.backup.yaml`;
}

export async function saveBackupAsCommand(services: ExtensionServices, arg?: SaveBackupArgs | vscode.Uri): Promise<{ path: string } | undefined> {
  const doc = findDocument(arg);
  if (!doc) {
    void vscode.window.showWarningMessage('GitOps DR: open a backup first (GitOps DR: Back Up Agent).');
    return undefined;
  }
  let target = arg && !(arg instanceof vscode.Uri) ? arg.path : undefined;
  if (!target) {
    const dir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
    const picked = await vscode.window.showSaveDialog({
      title: 'Save backup (it holds Secret data; written with mode 0600)',
      defaultUri: vscode.Uri.file(path.join(dir, suggestedName(doc))),
      filters: { 'Argo CD backup': ['yaml', 'yml'] },
    });
    if (!picked) return undefined;
    target = picked.fsPath;
  }
  try {
    await writeBackupFile(target, doc.getText());
  } catch (e) {
    const message = describeError(e);
    services.log.error(`backup: could not save ${target}: ${message}`);
    void vscode.window.showErrorMessage(`GitOps DR: could not save the backup: ${message}`);
    return undefined;
  }
  services.log.info(`backup: saved ${target} (mode 0600)`);
  if (doc.isUntitled) {
    // Replace the untitled tab by the saved file, so closing it asks nothing and further saves go to the file.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    openedBackups.delete(doc.uri.toString());
    await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: false });
  }
  return { path: target };
}
