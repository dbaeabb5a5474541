// The backup store in VS Code: the location and RPO settings, S3 credentials typed by the user (SecretStorage only),
// the stored backups under each agent and the RPO of each pair (filled into the tree by the StoreController), and
// the commands on them: open (read-only, masked; encrypted ones with an age key), diff two (masked), compare with
// live and restore (the restore plan flow and its gate), Back Up Now to Store (progress, cancel).
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
import { checkRecipients, EncryptionError } from '../../core/store/encryption';
import { formatAge } from '../../core/store/rpo';
import { diffBackups, type BackupDiffAction, type BackupDiffEntry } from '../../core/compare/backupDiff';
import type { BackupProgress } from '../../core/backup/exportBackup';
import type { S3Credentials } from '../../core/store/s3Store';
import type { BlobStore } from '../../core/store/blobStore';
import type { StoredBackup } from '../../core/store/readStored';
import type { DiscoveredAgent } from '../../core/agents/model';
import { withOperation, type ExtensionServices } from '../services';
import { COMMANDS } from '../commandIds';
import type { TreeNode } from '../tree/nodes';
import { StoreController } from './storeController';
import { keysFor, registerDecryptionKeyCommands } from './decryptionKeys';
import { STORED_DIFF_SCHEME, StoredDiffDocuments } from './storedDiffDocuments';
import { formatSize } from '../tree/storeNodes';

const STORE_CREDENTIALS_SECRET = 'gitopsDr.backupStore.credentials';

export interface StoreSettings {
  location: string;
  rpoMinutes: number;
  timeoutMs: number;
  /** age X25519 recipients "Back Up Now" encrypts to (public keys: fine in settings); empty: not encrypted. */
  encryptTo: string[];
}

function readStoreSettings(): StoreSettings {
  const c = vscode.workspace.getConfiguration('gitopsDr');
  return {
    location: c.get<string>('backupLocation', '').trim(),
    rpoMinutes: Math.max(1, c.get<number>('rpoMinutes', 1440)),
    timeoutMs: Math.max(1, c.get<number>('backupStore.timeoutSeconds', 10)) * 1000,
    encryptTo: (c.get<string[]>('backupStore.encryptTo', []) ?? []).map((r) => r.trim()).filter((r) => r !== ''),
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

  /** The stored backup a row (or `{ agentKey, id }`) names, as the last listing knows it. */
  const find = (arg: unknown): StoredBackup => {
    const ref = resolve(arg);
    if (!ref) throw new Error('name the stored backup: a row under "Stored backups" or { agentKey, id }');
    const backup = controller.find(ref.key, ref.id);
    if (!backup) throw new Error(`stored backup ${ref.id} is not in the last listing of ${locationLabel() ?? 'the store'}; refresh the stored backups`);
    return backup;
  };

  /**
   * Reads stored backups, each verified (size + SHA-256) and, when encrypted, decrypted with one key for all;
   * undefined when the user dismissed the key prompt or cancelled the progress.
   */
  const read = async (backups: StoredBackup[], interactive: boolean): Promise<string[] | undefined> => {
    const resolved = await keysFor(services, backups, interactive);
    if (!resolved) return undefined;
    const store = await openConfigured(services);
    if (!store) throw new Error('no backup location configured (setting gitopsDr.backupLocation)');
    try {
      const names = backups.map((b) => b.manifest.id.split('/').pop()).join(' and ');
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GitOps DR: reading ${names} from ${store.label}`, cancellable: true }, async (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const texts: string[] = [];
        for (const b of backups) {
          try {
            texts.push(await readBackupText(store, b, resolved.keys, abort.signal));
          } catch (e) {
            if (abort.signal.aborted) return undefined; // the user cancelled: nothing to report
            if (e instanceof EncryptionError) throw new EncryptionError(`${e.message} (${resolved.from})`);
            throw e;
          }
          log.info(`backup store: read ${b.manifest.id} (${b.manifest.size} bytes, SHA-256 verified${b.manifest.encrypted ? ', decrypted' : ''})`);
        }
        return texts;
      });
    } finally {
      store.close();
    }
  };

  /** A stored backup as an in-memory backup document (masked when shown); its URI, for open, compare and restore. */
  const load = async (arg: unknown, interactive: boolean): Promise<vscode.Uri | undefined> => {
    const backup = find(arg);
    const text = (await read([backup], interactive))?.[0];
    if (text === undefined) return undefined;
    if (!services.backups) throw new Error('the backup documents are not registered');
    return services.backups.add({ context: backup.manifest.context, namespace: backup.manifest.namespace }, new Date(backup.manifest.created), text);
  };

  const fail = (what: string, e: unknown, interactive: boolean): undefined => {
    const message = describeError(e);
    log.error(`backup store: ${what} failed: ${message}`);
    if (!interactive) throw e instanceof Error ? e : new Error(message);
    void vscode.window.showErrorMessage(`GitOps DR: ${what} failed: ${message}`);
    return undefined;
  };

  const diffDocuments = new StoredDiffDocuments();
  context.subscriptions.push(
    diffDocuments,
    vscode.workspace.registerTextDocumentContentProvider(STORED_DIFF_SCHEME, diffDocuments),
    vscode.commands.registerCommand(COMMANDS.refreshStoredBackups, async () => {
      controller.reset();
      await controller.ensure(agents.model.snapshot);
      return controller.lookup().location;
    }),
    vscode.commands.registerCommand(COMMANDS.openStoredBackup, async (arg?: unknown, opts?: { confirm?: boolean }) => {
      const interactive = opts?.confirm !== false;
      try {
        const uri = await load(arg, interactive);
        if (!uri) return { cancelled: true };
        const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'yaml');
        await vscode.window.showTextDocument(doc, { preview: false });
        return { document: uri.toString() };
      } catch (e) {
        return fail('opening the stored backup', e, interactive);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.restoreStoredBackup, async (arg?: unknown, restoreArgs?: Record<string, unknown>) => {
      const interactive = restoreArgs?.confirm !== false;
      try {
        const uri = await load(arg, interactive);
        if (!uri) return { cancelled: true };
        return await vscode.commands.executeCommand(COMMANDS.restoreBackup, { ...restoreArgs, uri });
      } catch (e) {
        return fail('restoring the stored backup', e, interactive);
      }
    }),
    // The compare flow of a backup file, and so its gate (read, lint, refuse): the stored backup is one more source.
    vscode.commands.registerCommand(COMMANDS.compareStoredWithLive, async (arg?: unknown, compareArgs?: Record<string, unknown>) => {
      const interactive = compareArgs?.confirm !== false;
      try {
        const uri = await load(arg, interactive);
        if (!uri) return { cancelled: true };
        return await vscode.commands.executeCommand(COMMANDS.compareWithLive, { ...compareArgs, uri });
      } catch (e) {
        return fail('comparing the stored backup with live', e, interactive);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.diffStoredBackups, async (arg?: unknown, opts?: { other?: { agentKey: string; id: string }; confirm?: boolean }) => {
      const interactive = opts?.confirm !== false;
      try {
        return await diffStored(find(arg), opts?.other ? find({ storedBackup: opts.other }) : undefined, interactive);
      } catch (e) {
        return fail('diffing the stored backups', e, interactive);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.backupToStore, (arg?: unknown, opts?: BackupNowOptions) => withOperation(services, 'backup', (scoped) => backupNow(scoped, controller, arg, opts ?? {}))),
    ...registerDecryptionKeyCommands(services, { set: COMMANDS.setStoreDecryptionKey, clear: COMMANDS.clearStoreDecryptionKey }),
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

  /** "Diff Stored Backups…": this one and another of the same agent folder, older on the left, masked. */
  const diffStored = async (first: StoredBackup, given: StoredBackup | undefined, interactive: boolean): Promise<StoredDiffResult | { cancelled: true } | undefined> => {
    let other = given;
    if (!other) {
      const listing = controller.lookup().listingOf(first.manifest.agentKey);
      const candidates = listing?.state === 'ready' ? listing.backups.filter((b) => b.manifest.id !== first.manifest.id) : [];
      if (candidates.length === 0) throw new Error(`${first.manifest.id} is the only stored backup of its agent: nothing to diff it with`);
      if (!interactive) throw new Error('name the other stored backup: { other: { agentKey, id } }');
      const now = Date.now();
      const picked = await vscode.window.showQuickPick(
        candidates.map((b) => ({
          label: `${formatAge(Math.max(0, (now - Date.parse(b.manifest.created)) / 60_000))} ago`,
          description: `${b.manifest.context}/${b.manifest.namespace} · ${formatSize(b.manifest.size)} · ${b.manifest.counts.Application} apps${b.manifest.encrypted ? ' · encrypted' : ''}`,
          detail: b.manifest.id,
          backup: b,
        })),
        { title: `Diff ${first.manifest.id.split('/').pop()} with which stored backup?`, placeHolder: 'the other stored backup (the older one is shown on the left)', matchOnDetail: true },
      );
      if (!picked) return { cancelled: true };
      other = picked.backup;
    }
    if (other.manifest.id === first.manifest.id) throw new Error(`${first.manifest.id} diffed with itself: pick another stored backup`);
    const [older, newer] = first.manifest.created <= other.manifest.created ? [first, other] : [other, first];
    const texts = await read([older, newer], interactive);
    if (!texts) return { cancelled: true };
    const stamp = (b: StoredBackup): string => b.manifest.id.split('/').pop()!;
    const diff = diffBackups(texts[0]!, texts[1]!, { before: older.manifest.id, after: newer.manifest.id });
    const uris = diffDocuments.add(diff.left, diff.right, { left: stamp(older), right: stamp(newer) });
    const title = `Stored backups: ${stamp(older)} ↔ ${stamp(newer)}`;
    const summary = `${diff.counts.changed} changed, ${diff.counts.added} added, ${diff.counts.removed} removed, ${diff.counts.unchanged} unchanged`;
    log.info(`backup store: diff ${older.manifest.id} -> ${newer.manifest.id}: ${summary}`);
    await vscode.commands.executeCommand('vscode.diff', uris.left, uris.right, title, { preview: false });
    return { left: uris.left.toString(), right: uris.right.toString(), title, older: older.manifest.id, newer: newer.manifest.id, counts: diff.counts, entries: diff.entries.filter((e) => e.action !== 'unchanged') };
  };
  return controller;
}

export interface StoredDiffResult {
  left: string;
  right: string;
  title: string;
  older: string;
  newer: string;
  counts: Record<BackupDiffAction, number>;
  /** The objects that differ (Secret values replaced per key). */
  entries: BackupDiffEntry[];
}

export interface BackupNowOptions {
  /** false: no messages, errors thrown (tests, automation). */
  confirm?: boolean;
  /** A caller's own cancel (automation, tests); the progress notification's Cancel button works the same way. */
  cancellation?: vscode.CancellationToken;
  /** Sees the export's progress as the notification does. */
  onProgress?: (p: BackupProgress) => void;
}

export interface BackupToStoreResult {
  id: string;
  location: string;
  counts: Record<string, number>;
  encrypted: boolean;
}

/** "Back Up Now to Store": the export streamed to the location with progress and cancel; the folder relisted. */
async function backupNow(services: ExtensionServices, controller: StoreController, arg: unknown, opts: BackupNowOptions): Promise<BackupToStoreResult | { cancelled: true } | undefined> {
  const interactive = opts.confirm !== false;
  const agent = (arg as { agent?: DiscoveredAgent } | undefined)?.agent ?? (arg as DiscoveredAgent | undefined);
  const where = agent?.context && agent.namespace ? `${agent.context}/${agent.namespace}` : undefined;
  try {
    if (!agent || !where) throw new Error('name the agent: an agent node of the DR Agents view');
    const { encryptTo } = readStoreSettings();
    // A typo in a recipient must not cost a whole export.
    if (encryptTo.length) checkRecipients(encryptTo);
    const store = await openConfigured(services);
    if (!store) throw new Error('no backup location configured: set gitopsDr.backupLocation to s3://bucket/prefix or a directory');
    try {
      const stored = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GitOps DR: backing up ${where} to ${store.label}${encryptTo.length ? ' (age-encrypted)' : ''}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        opts.cancellation?.onCancellationRequested(() => abort.abort());
        if (opts.cancellation?.isCancellationRequested) abort.abort();
        const signal = abort.signal;
        const client = await services.kube.client(agent.context);
        const source = await resolveBackupSource(client, agent.context, agent.namespace, signal);
        let shownAt = 0;
        return storeBackup({
          store,
          source,
          toolVersion: TOOL_VERSION,
          signal,
          ...(encryptTo.length ? { encryption: { recipients: encryptTo } } : {}),
          produce: (sink) => runBackup(client, {
            namespace: agent.namespace,
            signal,
            onProgress: (p) => {
              opts.onProgress?.(p);
              if (Date.now() - shownAt > 100) {
                shownAt = Date.now();
                progress.report({ message: `${p.total} objects` });
              }
            },
          }, sink),
        });
      });
      services.log.info(`backup store: ${where} stored as ${stored.manifest.id} in ${store.label} (${stored.manifest.size} bytes${stored.manifest.encrypted ? ', age-encrypted' : ''})`);
      await controller.relist(stored.manifest.agentKey, membersOf(services, stored.manifest.agentKey));
      if (interactive) void vscode.window.showInformationMessage(`GitOps DR: ${where} backed up to ${store.label}.`);
      return { id: stored.manifest.id, location: store.label, counts: stored.manifest.counts, encrypted: stored.manifest.encrypted };
    } finally {
      store.close();
    }
  } catch (e) {
    if (isKubeError(e, 'cancelled') || (e as Error).name === 'AbortError' || (e as { reason?: string }).reason === 'aborted') {
      services.log.info(`backup store: backup of ${where} cancelled; no backup was stored`);
      return { cancelled: true };
    }
    const message = describeError(e);
    services.log.error(`backup store: backup of ${where ?? '(no agent)'} failed: ${message}`);
    if (!interactive) throw e instanceof Error ? e : new Error(message);
    void vscode.window.showErrorMessage(`GitOps DR: backup of ${where ?? 'the agent'} to the store failed: ${message}`);
    return undefined;
  }
}
