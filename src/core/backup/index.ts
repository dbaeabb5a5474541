// Backup: the public surface other features use.
import { exportBackup, type BackupOptions, type BackupResult, type BackupSink } from './exportBackup';
import { exportBackupViaExec, type ExecApi } from './execExport';

export * from './exportBackup';
export { exportBackupViaExec, resolveExecTarget, execPath, exportCommand, EXEC_PROTOCOLS, type ExecApi, type ExecTarget } from './execExport';
export { saveBackupFile, writeBackupFile, openBackupFile, BACKUP_FILE_MODE, type BackupFileWriter } from './backupFile';
export { defaultBackupFileName, utcStamp } from './backupName';
export { describeBackup, formatCounts, totalObjects } from './summary';
export { sanitiseForBackup } from './sanitise';
export { maskSecretValues, MASK } from './maskSecrets';

export interface RunBackupOptions extends BackupOptions {
  /** Run Argo CD's own `argocd admin export` in the application controller pod instead of reading the API. */
  exec?: boolean;
}

/** A backup in the chosen mode (native API export by default). */
export function runBackup(api: ExecApi, options: RunBackupOptions, sink: BackupSink): Promise<BackupResult> {
  return options.exec ? exportBackupViaExec(api, options, sink) : exportBackup(api, options, sink);
}
