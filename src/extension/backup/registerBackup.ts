// Registers the backup commands and the in-memory backup documents. Also keeps files saved from a backup tab by
// VS Code's own Save private (0600).
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { withOperation, type ExtensionServices } from '../services';
import { backupAgentCommand, type BackupCommandOptions } from './backupCommand';
import { BACKUP_SCHEME, BackupDocuments } from './backupDocuments';
import { saveBackupAsCommand, type SaveBackupArgs } from './saveBackupAs';
import { BACKUP_FILE_MODE } from '../../core/backup';
import { COMMANDS } from '../commandIds';

export function registerBackup(services: ExtensionServices): BackupDocuments {
  const { context } = services;
  const backups = new BackupDocuments();
  services.backups = backups;
  const setRevealed = (uri: vscode.Uri | undefined, revealed: boolean): boolean => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (target && backups.setRevealed(target, revealed)) {
      services.log.info(`backup: Secret values ${revealed ? 'revealed' : 'masked again'} in ${target.path}`);
      return true;
    }
    void vscode.window.showWarningMessage('GitOps DR: this is not a backup held in memory; run it on the tab a backup opened.');
    return false;
  };
  context.subscriptions.push(
    backups,
    vscode.workspace.registerTextDocumentContentProvider(BACKUP_SCHEME, backups),
    vscode.commands.registerCommand(COMMANDS.backupAgent, (arg?: unknown, options?: BackupCommandOptions) => withOperation(services, 'backup', (scoped) => backupAgentCommand(scoped, arg, options))),
    vscode.commands.registerCommand(COMMANDS.saveBackupAs, (arg?: SaveBackupArgs | vscode.Uri) => saveBackupAsCommand(services, arg)),
    vscode.commands.registerCommand(COMMANDS.revealBackupSecrets, (uri?: vscode.Uri) => setRevealed(uri, true)),
    vscode.commands.registerCommand(COMMANDS.maskBackupSecrets, (uri?: vscode.Uri) => setRevealed(uri, false)),
    // VS Code's own "Save" of a backup tab (named *.backup.yaml) writes with the default mode; tighten it right after.
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.scheme === 'file' && doc.fileName.endsWith('.backup.yaml')) {
        fs.chmod(doc.uri.fsPath, BACKUP_FILE_MODE).catch((e: unknown) => services.log.warn(`backup: could not restrict ${doc.uri.fsPath} to mode 0600: ${(e as Error).message}`));
      }
    }),
  );
  return backups;
}
