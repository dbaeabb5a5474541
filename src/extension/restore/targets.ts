// What "Restore backup" and "Compare with live" are pointed at: a backup file (a Uri from the explorer or the
// editor, or the active editor, or an open dialog) and a target context/namespace (a tree node, a plain
// `{context, namespace}`, or quick picks). Reads the file as the editor shows it when it is open.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { targetPickItems, type BackupOrigin, type TargetPickItem } from './targetPickItems';
import { BACKUP_SCHEME, type BackupDocuments } from '../backup/backupDocuments';

/** A backup larger than this is not an Argo CD export; refused before reading. */
const MAX_BACKUP_BYTES = 256 * 1024 * 1024;

export interface Target {
  context: string;
  namespace: string;
}

interface NodeLike {
  agent?: { context?: string; namespace?: string };
  context?: { name?: string } | string;
  namespace?: string;
  group?: { members?: Array<{ context: string; namespace: string }> };
}

/** The target a tree node or a plain object names; a context node names only the context. */
export function targetOf(arg: unknown): Partial<Target> {
  if (!arg || typeof arg !== 'object' || arg instanceof vscode.Uri) return {};
  const n = arg as NodeLike;
  if (n.agent?.context && n.agent.namespace) return { context: n.agent.context, namespace: n.agent.namespace };
  const context = typeof n.context === 'string' ? n.context : n.context?.name;
  return { ...(context ? { context } : {}), ...(typeof n.namespace === 'string' ? { namespace: n.namespace } : {}) };
}

/** The rows the target picker offers (the backup's source last and marked, when known). */
export async function targetItems(services: ExtensionServices, source?: BackupOrigin): Promise<TargetPickItem[]> {
  const kubeconfig = await services.kube.kubeconfig();
  const agents = services.agents?.model.snapshot;
  return targetPickItems(agents ? [...agents.groups.flatMap((g) => g.members), ...agents.singles] : [], kubeconfig.contexts, agents?.contexts, source);
}

export async function pickTarget(services: ExtensionServices, partial: Partial<Target>, title: string, source?: BackupOrigin): Promise<Target | undefined> {
  let context = partial.context;
  const kubeconfig = await services.kube.kubeconfig();
  if (!context) {
    const picked = await vscode.window.showQuickPick(await targetItems(services, source), { title, placeHolder: 'target agent (context/namespace) or context' });
    if (!picked) return undefined;
    context = picked.context;
    partial = { ...partial, ...(picked.namespace ? { namespace: picked.namespace } : {}) };
  }
  let namespace = partial.namespace;
  if (!namespace) {
    namespace = await vscode.window.showInputBox({
      title,
      prompt: `Argo CD namespace in context ${context}`,
      value: kubeconfig.contexts.find((c) => c.name === context)?.namespace ?? 'argocd',
      validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'a namespace name (lowercase letters, digits, -)'),
    });
  }
  return namespace ? { context, namespace } : undefined;
}

/** The backup file: the Uri given, the active editor's file when it looks like one, or an open dialog. */
export async function pickBackupUri(given: vscode.Uri | undefined, interactive: boolean): Promise<vscode.Uri | undefined> {
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document;
  if (active && ['yaml', 'json'].includes(active.languageId)) return active.uri;
  if (!interactive) throw new Error('name the backup file: { uri }');
  const picked = await vscode.window.showOpenDialog({ title: 'Backup to restore', canSelectMany: false, filters: { 'Argo CD backup': ['yaml', 'yml', 'json'] } });
  return picked?.[0];
}

/** The text as the editor shows it when it has unsaved edits, else the stored bytes (the gate checks they are UTF-8);
 * a backup held in memory in full. */
export async function readBackupInput(uri: vscode.Uri, held?: BackupDocuments): Promise<string | Uint8Array> {
  const inMemory = held?.get(uri);
  if (inMemory) return inMemory.text;
  if (uri.scheme === BACKUP_SCHEME) throw new Error(`${uri.path} is no longer held in memory: take the backup again or restore from a saved file`);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open && (open.isDirty || open.isUntitled)) return open.getText();
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_BACKUP_BYTES) throw new Error(`${uri.fsPath} is ${Math.round(stat.size / 1048576)} MiB: larger than any Argo CD export this tool accepts`);
  return vscode.workspace.fs.readFile(uri);
}

export function uriArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const u = (arg as { uri?: unknown } | undefined)?.uri;
  if (u instanceof vscode.Uri) return u;
  if (typeof u === 'string') return u.includes('://') || u.startsWith('file:') ? vscode.Uri.parse(u) : vscode.Uri.file(u);
  return undefined;
}
