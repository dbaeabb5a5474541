// What every feature of the extension is handed at activation. Features register their own commands.
import type * as vscode from 'vscode';
import type { Log } from './log';
import type { KubeAccess } from './kubeAccess';
import type { Settings } from './settings';
import type { AgentsController } from './tree/agentsController';
import type { BackupDocuments } from './backup/backupDocuments';

export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly kube: KubeAccess;
  settings(): Settings;
  /** The agents tree's discovery and model (set once the tree is registered). */
  agents?: AgentsController;
  /** Backups taken this session, held in memory as read-only documents (set by the backup feature). */
  backups?: BackupDocuments;
  /** How long activate() took, for the log and the tests. */
  activationMs?: number;
}
