// Backups taken in this session, shown as read-only virtual documents (`gitops-dr-backup:`): VS Code keeps no
// hot-exit copy of them and nothing reaches the disk until the user saves one (mode 0600). Secret values are masked
// until "Reveal Secret Values" is run on the document; the full text stays in this process's memory only.
import * as vscode from 'vscode';
import { defaultBackupFileName, maskSecretValues } from '../../core/backup';
import type { BackupTarget } from './backupTarget';

export const BACKUP_SCHEME = 'gitops-dr-backup';
const KEEP = 10;

export interface HeldBackup {
  id: string;
  target: BackupTarget;
  /** When the backup started: the file name proposed by Save As carries this time, not the save time. */
  capturedAt: Date;
  text: string;
  revealed: boolean;
  /** Where it was saved, once saved. */
  savedTo?: string;
}

export class BackupDocuments implements vscode.TextDocumentContentProvider {
  private readonly held = new Map<string, HeldBackup>();
  private next = 1;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  add(target: BackupTarget, capturedAt: Date, text: string): vscode.Uri {
    const id = `b${this.next++}`;
    this.held.set(id, { id, target, capturedAt, text, revealed: false });
    while (this.held.size > KEEP) this.held.delete(this.held.keys().next().value!);
    return this.uri(id);
  }

  uri(id: string): vscode.Uri {
    const b = this.held.get(id);
    const name = b ? defaultBackupFileName(b.target.context, b.target.namespace, b.capturedAt) : 'backup.yaml';
    return vscode.Uri.from({ scheme: BACKUP_SCHEME, path: `/${id}/${name}` });
  }

  /** The backup a `gitops-dr-backup:` URI shows (full text, Secrets included: never put it in a document). */
  get(uri: vscode.Uri | string): HeldBackup | undefined {
    const u = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
    if (u.scheme !== BACKUP_SCHEME) return undefined;
    return this.held.get(u.path.split('/')[1] ?? '');
  }

  all(): HeldBackup[] {
    return [...this.held.values()].reverse();
  }

  setRevealed(uri: vscode.Uri, revealed: boolean): boolean {
    const b = this.get(uri);
    if (!b) return false;
    b.revealed = revealed;
    this.changed.fire(this.uri(b.id));
    return true;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const b = this.get(uri);
    if (!b) return '# This backup is no longer held in memory; take it again or open the saved file.\n';
    return b.revealed ? b.text : maskSecretValues(b.text);
  }

  dispose(): void {
    this.changed.dispose();
    this.held.clear();
  }
}
