// The backup store in VS Code: the location and RPO settings, S3 credentials typed by the user (SecretStorage only),
// the stored backups under each agent and the RPO of each pair (filled into the tree by the StoreController), and
// the commands on them: open (read-only, masked), restore (the restore plan flow), Back Up Now to Store.
import * as vscode from 'vscode';
import { runBackup } from '../../core/backup';
import { describeError, isKubeError } from '../../core/kube/errors';
import { agentKey } from '../../core/store/layout';
import { formatLocation, parseLocation } from '../../core/store/location';
import { openStore } from '../../core/store/openStore';
import { readBackupText } from '../../core/store/readStored';
import { newestBackupForTarget } from '../../core/store/newestForTarget';
import { resolveBackupSource, TOOL_VERSION } from '../../core/store/backupSource';
import { storeBackup } from '../../core/store/storeBackup';
import type { S3Credentials } from '../../core/store/s3Store';
import type { BlobStore } from '../../core/store/blobStore';
import type { DiscoveredAgent } from '../../core/agents/model';
import { withOperation, type ExtensionServices } from '../services';
import { COMMANDS } from '../commandIds';
import type { TreeNode } from '../tree/nodes';
import { StoreController } from './storeController';

export const STORE_CREDENTIALS_SECRET = 'gitopsDr.backupStore.credentials';

export interface StoreSettings {
  location: string;
  rpoMinutes: number;
  timeoutMs: number;
}

export function readStoreSettings(): StoreSettings {
  const c = vscode.workspace.getConfiguration('gitopsDr');
  return {
    location: c.get<string>('backupLocation', '').trim(),
    rpoMinutes: Math.max(1, c.get<number>('rpoMinutes', 1440)),
    timeoutMs: Math.max(1, c.get<number>('backupStore.timeoutSeconds', 10)) * 1000,
  };
}

/** The configured store, with the credentials from SecretStorage when the user typed some (else the AWS chain). */
async function openConfigured(services: ExtensionServices): Promise<BlobStore | undefined> {
  const { location, timeoutMs } = readStoreSettings();
  if (!location) return undefined;
  const loc = parseLocation(location);
  const saved = await services.context.secrets.get(STORE_CREDENTIALS_SECRET);
  const credentials = saved ? (JSON.parse(saved) as S3Credentials) : undefined;
  return openStore(loc, { timeoutMs, ...(credentials ? { credentials } : {}) });
}

function locationLabel(): string | undefined {
  const { location } = readStoreSettings();
  if (!location) return undefined;
  try {
    return formatLocation(parseLocation(location));
  } catch (e) {
    return `${location} (${(e as Error).message})`;
  }
}

function membersOf(services: ExtensionServices, key: string): DiscoveredAgent[] {
  const s = services.agents?.model.snapshot;
  return [...(s?.groups.flatMap((g) => g.members) ?? []), ...(s?.singles ?? [])].filter((a) => agentKey(a.identity) === key);
}

export interface StoredBackupArgs {
  agentKey?: string;
  id?: string;
  storedBackup?: { agentKey: string; id: string };
}

export function registerStore(services: ExtensionServices): StoreController | undefined {
  const { context, log } = services;
  const agents = services.agents;
  if (!agents) return undefined;
  const controller = new StoreController(
    () => {
      const s = readStoreSettings();
      const label = locationLabel();
      return { ...(label ? { label } : {}), rpoMinutes: s.rpoMinutes, timeoutMs: s.timeoutMs };
    },
    () => openConfigured(services),
    (m) => log.warn(m),
  );
  const push = (): void => agents.model.setStore(controller.lookup());
  // setStore fires the model's change too; ensure() lists only folders not listed yet, so this settles.
  context.subscriptions.push(
    controller.onDidChange(push),
    agents.model.onDidChange(() => void controller.ensure(agents.model.snapshot)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gitopsDr.backupLocation') || e.affectsConfiguration('gitopsDr.rpoMinutes') || e.affectsConfiguration('gitopsDr.backupStore')) {
        controller.reset();
        void controller.ensure(agents.model.snapshot);
      }
    }),
    context.secrets.onDidChange((e) => e.key === STORE_CREDENTIALS_SECRET && controller.reset()),
  );
  push();

  services.storedBackups = {
    location: locationLabel,
    newest: async (key, targetClusterId, signal) => {
      const store = await openConfigured(services);
      if (!store) throw new Error('no backup location configured (setting gitopsDr.backupLocation)');
      try {
        const found = await newestBackupForTarget(store, key, { ...(targetClusterId ? { targetClusterId } : {}), ...(signal ? { signal } : {}) });
        for (const w of found.warnings) log.warn(`backup store: ${w}`);
        if (!found.backup) throw new Error(`${store.label} holds no verified backup of agent ${key}${found.warnings.length ? ` (${found.warnings.join('; ')})` : ''}`);
        if (!services.backups) throw new Error('the backup documents are not registered');
        const m = found.backup.manifest;
        log.info(`backup store: read ${m.id} (${m.size} bytes, SHA-256 verified)`);
        const uri = services.backups.add({ context: m.context, namespace: m.namespace }, new Date(m.created), found.text!);
        return { uri, label: `${store.label}: ${m.id} (created ${m.created})`, warnings: found.warnings };
      } finally {
        store.close();
      }
    },
  };

  const resolve = (arg: unknown): { key: string; id: string } | undefined => {
    const a = (arg ?? {}) as StoredBackupArgs & Partial<TreeNode>;
    const ref = a.storedBackup ?? (a.agentKey && a.id ? { agentKey: a.agentKey, id: a.id } : undefined);
    return ref ? { key: ref.agentKey, id: ref.id } : undefined;
  };

  /** Reads a stored backup, verified (size + SHA-256), into the in-memory backup documents; its URI. */
  const load = async (arg: unknown): Promise<vscode.Uri> => {
    const ref = resolve(arg);
    if (!ref) throw new Error('name the stored backup: a row under "Stored backups" or { agentKey, id }');
    const backup = controller.find(ref.key, ref.id);
    if (!backup) throw new Error(`stored backup ${ref.id} is not in the last listing of ${locationLabel() ?? 'the store'}; refresh the stored backups`);
    if (backup.manifest.encrypted) throw new Error(`stored backup ${ref.id} is age-encrypted: open it with gitops-dr backups get --identity/--passphrase (decryption in VS Code is not supported yet)`);
    const store = await openConfigured(services);
    if (!store) throw new Error('no backup location configured (setting gitopsDr.backupLocation)');
    try {
      const text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GitOps DR: reading ${ref.id} from ${store.label}`, cancellable: true }, (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return readBackupText(store, backup, {}, abort.signal);
      });
      log.info(`backup store: read ${ref.id} (${backup.manifest.size} bytes, SHA-256 verified)`);
      if (!services.backups) throw new Error('the backup documents are not registered');
      return services.backups.add({ context: backup.manifest.context, namespace: backup.manifest.namespace }, new Date(backup.manifest.created), text);
    } finally {
      store.close();
    }
  };

  const fail = (what: string, e: unknown, interactive: boolean): undefined => {
    const message = describeError(e);
    log.error(`backup store: ${what} failed: ${message}`);
    if (!interactive) throw e instanceof Error ? e : new Error(message);
    void vscode.window.showErrorMessage(`GitOps DR: ${what} failed: ${message}`);
    return undefined;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.refreshStoredBackups, async () => {
      controller.reset();
      await controller.ensure(agents.model.snapshot);
      return controller.lookup().location;
    }),
    vscode.commands.registerCommand(COMMANDS.openStoredBackup, async (arg?: unknown, opts?: { confirm?: boolean }) => {
      try {
        const uri = await load(arg);
        const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'yaml');
        await vscode.window.showTextDocument(doc, { preview: false });
        return { document: uri.toString() };
      } catch (e) {
        return fail('opening the stored backup', e, opts?.confirm !== false);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.restoreStoredBackup, async (arg?: unknown, restoreArgs?: Record<string, unknown>) => {
      try {
        const uri = await load(arg);
        return await vscode.commands.executeCommand(COMMANDS.restoreBackup, { ...restoreArgs, uri });
      } catch (e) {
        return fail('restoring the stored backup', e, restoreArgs?.confirm !== false);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.backupToStore, (arg?: unknown, opts?: { confirm?: boolean }) => withOperation(services, 'backup', (scoped) => backupNow(scoped, controller, arg, opts?.confirm !== false))),
    vscode.commands.registerCommand(COMMANDS.setStoreCredentials, async () => {
      const accessKeyId = await vscode.window.showInputBox({ title: 'Backup store: access key ID', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'the access key ID') });
      if (!accessKeyId) return false;
      const secretAccessKey = await vscode.window.showInputBox({ title: 'Backup store: secret access key', password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'the secret access key') });
      if (!secretAccessKey) return false;
      await context.secrets.store(STORE_CREDENTIALS_SECRET, JSON.stringify({ accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim() }));
      log.info('backup store: credentials saved in VS Code SecretStorage');
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.clearStoreCredentials, async () => {
      await context.secrets.delete(STORE_CREDENTIALS_SECRET);
      log.info('backup store: credentials removed; the AWS environment and profiles apply again');
      return true;
    }),
  );
  return controller;
}

export interface BackupToStoreResult {
  id: string;
  location: string;
  counts: Record<string, number>;
}

/** "Back Up Now to Store": the export streamed to the location with progress and cancel; the folder relisted. */
async function backupNow(services: ExtensionServices, controller: StoreController, arg: unknown, interactive: boolean): Promise<BackupToStoreResult | undefined> {
  const agent = (arg as { agent?: DiscoveredAgent } | undefined)?.agent ?? (arg as DiscoveredAgent | undefined);
  const where = agent?.context && agent.namespace ? `${agent.context}/${agent.namespace}` : undefined;
  try {
    if (!agent || !where) throw new Error('name the agent: an agent node of the DR Agents view');
    const store = await openConfigured(services);
    if (!store) throw new Error('no backup location configured: set gitopsDr.backupLocation to s3://bucket/prefix or a directory');
    try {
      const stored = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GitOps DR: backing up ${where} to ${store.label}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const client = await services.kube.client(agent.context);
        const source = await resolveBackupSource(client, agent.context, agent.namespace, abort.signal);
        let shownAt = 0;
        return storeBackup({
          store,
          source,
          toolVersion: TOOL_VERSION,
          signal: abort.signal,
          produce: (sink) => runBackup(client, {
            namespace: agent.namespace,
            signal: abort.signal,
            onProgress: (p) => {
              if (Date.now() - shownAt > 100) {
                shownAt = Date.now();
                progress.report({ message: `${p.total} objects` });
              }
            },
          }, sink),
        });
      });
      services.log.info(`backup store: ${where} stored as ${stored.manifest.id} in ${store.label} (${stored.manifest.size} bytes)`);
      await controller.relist(stored.manifest.agentKey, membersOf(services, stored.manifest.agentKey));
      if (interactive) void vscode.window.showInformationMessage(`GitOps DR: ${where} backed up to ${store.label}.`);
      return { id: stored.manifest.id, location: store.label, counts: stored.manifest.counts };
    } finally {
      store.close();
    }
  } catch (e) {
    if (isKubeError(e, 'cancelled') || (e as Error).name === 'AbortError' || (e as { reason?: string }).reason === 'aborted') {
      services.log.info(`backup store: backup of ${where} cancelled; no backup was stored`);
      return undefined;
    }
    const message = describeError(e);
    services.log.error(`backup store: backup of ${where ?? '(no agent)'} failed: ${message}`);
    if (!interactive) throw e instanceof Error ? e : new Error(message);
    void vscode.window.showErrorMessage(`GitOps DR: backup of ${where ?? 'the agent'} to the store failed: ${message}`);
    return undefined;
  }
}
