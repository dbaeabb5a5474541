// Where a restore reads its backup from, always chosen by the user and named in the plan's title: a backup held in
// memory from this session, a recent backup file, an open editor, or a file picked in a dialog. The active editor
// is never taken silently.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recentBackupFiles } from '../backup/recentBackups';
import type { ExtensionServices } from '../services';
import { loadNewestStored, storedSourceItem, type StoredTarget } from './storedSource';
import type { BackupOrigin } from './targetPickItems';

export interface RestoreSource {
  uri: string;
  /** What the plan's title and the pickers call it. */
  label: string;
  kind: 'inMemory' | 'recentFile' | 'openEditor';
  description: string;
}

function hhmm(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function sourceLabel(uri: vscode.Uri, services: ExtensionServices): string {
  const held = services.backups?.get(uri);
  if (held) return `backup of ${held.target.context}/${held.target.namespace} taken ${hhmm(held.capturedAt)}`;
  return uri.scheme === 'file' ? path.basename(uri.fsPath) : path.basename(uri.path);
}

/** Where a backup was taken, when this session knows it: a backup held in memory (taken here or read from the
 * store), or the file one was saved to. */
export function backupOrigin(uri: vscode.Uri, services: ExtensionServices): BackupOrigin | undefined {
  const held = services.backups?.get(uri) ?? (uri.scheme === 'file' ? services.backups?.all().find((b) => b.savedTo === uri.fsPath) : undefined);
  return held ? { context: held.target.context, namespace: held.target.namespace } : undefined;
}

/** What the source picker offers, newest first, each source once. */
export function restoreSources(services: ExtensionServices): RestoreSource[] {
  const out: RestoreSource[] = [];
  const seen = new Set<string>();
  const add = (s: RestoreSource): void => {
    if (seen.has(s.uri)) return;
    seen.add(s.uri);
    out.push(s);
  };
  for (const b of services.backups?.all() ?? []) {
    const uri = services.backups!.uri(b.id);
    add({ uri: uri.toString(), label: sourceLabel(uri, services), kind: 'inMemory', description: b.savedTo ? `saved to ${b.savedTo}` : 'held in memory, not saved' });
  }
  for (const file of recentBackupFiles(services)) add({ uri: vscode.Uri.file(file).toString(), label: path.basename(file), kind: 'recentFile', description: path.dirname(file) });
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') continue;
    if (!['yaml', 'json'].includes(doc.languageId)) continue;
    add({ uri: doc.uri.toString(), label: path.basename(doc.uri.path), kind: 'openEditor', description: `open editor${doc.isDirty ? ' (unsaved changes are used)' : ''} · ${doc.uri.scheme === 'file' ? path.dirname(doc.uri.fsPath) : 'untitled'}` });
  }
  return out;
}

const ICON: Record<RestoreSource['kind'], string> = { inMemory: '$(history)', recentFile: '$(file)', openEditor: '$(edit)' };

/** Asks which backup to restore (with a target agent and a backup location: its newest stored backup first); undefined when the user cancels. */
export async function pickRestoreSource(services: ExtensionServices, title: string, stored?: StoredTarget): Promise<vscode.Uri | undefined> {
  const items: Array<vscode.QuickPickItem & { uri?: string; fromStore?: true }> = restoreSources(services).map((s) => ({ label: `${ICON[s.kind]} ${s.label}`, description: s.description, uri: s.uri }));
  if (stored) items.unshift(storedSourceItem(services, stored));
  items.push({ label: '$(folder-opened) Browse…', description: 'choose a backup file' });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which backup? (the plan is named after it; nothing is written yet)', matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.fromStore && stored) return (await loadNewestStored(services, stored)).uri;
  if (picked.uri) return vscode.Uri.parse(picked.uri);
  const chosen = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { 'Argo CD backup': ['yaml', 'yml', 'json'] } });
  return chosen?.[0];
}
