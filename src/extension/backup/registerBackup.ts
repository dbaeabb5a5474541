// Registers the backup commands. Also keeps files saved from a backup tab by VS Code's own Save private (0600).
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { withOperation, type ExtensionServices } from '../services';
import { backupAgentCommand, type BackupCommandOptions } from './backupCommand';
import { saveBackupAsCommand, type SaveBackupArgs } from './saveBackupAs';
import { BACKUP_FILE_MODE } from '../../core/backup';
import { COMMANDS } from '../commandIds';

export function registerBackup(services: ExtensionServices): void {
  const { context } = services;
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.backupAgent, (arg?: unknown, options?: BackupCommandOptions) => withOperation(services, 'backup', (scoped) => backupAgentCommand(scoped, arg, options))),
    vscode.commands.registerCommand(COMMANDS.saveBackupAs, (arg?: SaveBackupArgs | vscode.Uri) => saveBackupAsCommand(services, arg)),
    // VS Code's own "Save" of a backup tab (named *.backup.yaml) writes with the default mode; tighten it right after.
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.scheme === 'file' && doc.fileName.endsWith('.backup.yaml')) {
        fs.chmod(doc.uri.fsPath, BACKUP_FILE_MODE).catch((e: unknown) => services.log.warn(`backup: could not restrict ${doc.uri.fsPath} to mode 0600: ${(e as Error).message}`));
      }
    }),
  );
}
