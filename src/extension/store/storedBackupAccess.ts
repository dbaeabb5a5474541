// What restore and drill need of the backup store: whether one is configured, and the newest stored backup of an
// agent for a target (core newestBackupForTarget: verified, the other member's first), read into the in-memory
// backup documents so it goes through the same gate as a file.
import type * as vscode from 'vscode';

export interface NewestStored {
  /** The in-memory backup document holding it (`gitops-dr-backup:`). */
  uri: vscode.Uri;
  /** `<location>: <id> (created <time>)`: its provenance in every message. */
  label: string;
  /** Newer backups passed over, and why. */
  warnings: string[];
}

export interface StoredBackupAccess {
  /** The configured location as shown (no credentials), undefined when none is configured. */
  location(): string | undefined;
  /** Throws, saying why, when the location holds no usable backup of the agent. */
  newest(agentKey: string, targetClusterId: string | undefined, signal?: AbortSignal): Promise<NewestStored>;
}
