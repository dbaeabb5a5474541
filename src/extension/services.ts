// What every feature of the extension is handed at activation. Features register their own commands.
import type * as vscode from 'vscode';
import type { Log } from './log';
import type { KubeSource, Operation } from './kubeAccess';
import type { Settings } from './settings';
import type { AgentsController } from './tree/agentsController';
import type { BackupDocuments } from './backup/backupDocuments';
import type { StoredBackupAccess } from './store/storedBackupAccess';

export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  /** Discovery's clients; a long operation runs with its own (see withOperation). */
  readonly kube: KubeSource;
  settings(): Settings;
  /** The agents tree's discovery and model (set once the tree is registered). */
  agents?: AgentsController;
  /** Backups taken this session, held in memory as read-only documents (set by the backup feature). */
  backups?: BackupDocuments;
  /** The configured backup store, for "the newest stored backup" of restore and drill (set by the store feature). */
  storedBackups?: StoredBackupAccess;
  /** How long activate() took, for the log and the tests. */
  activationMs?: number;
}

/**
 * Runs a long operation with clients it owns (its own timeout; a refresh of the tree, which closes discovery's
 * clients, cannot reset its requests); they are closed when it ends.
 */
export async function withOperation<T>(services: ExtensionServices, operation: Operation, run: (scoped: ExtensionServices) => Promise<T>): Promise<T> {
  const clients = services.kube.forOperation(operation);
  try {
    return await run({ ...services, kube: clients });
  } finally {
    clients.dispose();
  }
}
