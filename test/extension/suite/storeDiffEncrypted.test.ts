/// <reference types="mocha" />
// The backup store inside a real VS Code, beyond listing and restoring (store.test.ts): two stored backups of east
// diffed (masked; a rotated repository password shown as changed, per key), a stored backup compared with live east
// through the compare flow, an age-encrypted stored backup (gitopsDr.backupStore.encryptTo) opened with no key, a
// wrong key and the right one, and "Back Up Now" cancelled in the middle of the upload: no backup appears and no
// half-written file is left.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { SECRET } from '../../../src/core/objects/resources';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import type { BackupProgress } from '../../../src/core/backup/exportBackup';
import type { RestoreCommandResult } from '../../../src/extension/restore/restoreCommand';
import type { BackupToStoreResult, StoredDiffResult } from '../../../src/extension/store/registerStore';
import type { TreeNode } from '../../../src/extension/tree/nodes';
import { freshName } from '../../integration/restore/support';
import { demoKubeconfig, services } from './support';
import { COMMANDS } from '../../../src/extension/commandIds';

type AgeModule = typeof import('age-encryption', { with: { 'resolution-mode': 'import' } });

const NS = 'argocd';
const OLD_PASSWORD = 'first-repo-password-4711';
const NEW_PASSWORD = 'rotated-repo-password-0815';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

suite('backup store: diff, compare with live, encrypted, cancel', () => {
  let east: KubeClient;
  let dir: string;
  let repoSecret: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('gitopsDr');
  const stored: BackupToStoreResult[] = [];

  suiteSetup(async function () {
    this.timeout(120_000);
    demoKubeconfig();
    const api = await services();
    await api.agents!.whenIdle();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-diff-ext-'));
    await config().update('backupLocation', dir, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(COMMANDS.clearStoreDecryptionKey);
    const kc = await loadKubeconfig(kubeconfigFiles([]));
    east = await KubeClient.forContext(kc, 'east', { timeoutMs: 15_000 });
    repoSecret = freshName('store-diff-repo');
    await east.create(SECRET, NS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: repoSecret, labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
      type: 'Opaque',
      data: { url: b64('https://github.com/example/store-diff'), username: b64('git'), password: b64(OLD_PASSWORD) },
    });
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    await config().update('backupLocation', undefined, vscode.ConfigurationTarget.Global);
    await config().update('backupStore.encryptTo', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(COMMANDS.clearStoreDecryptionKey);
    if (east && repoSecret) await east.delete(SECRET, NS, repoSecret).catch(() => undefined);
    east?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function backUpEast(opts: Record<string, unknown> = {}): Promise<BackupToStoreResult> {
    const api = await services();
    const r = await vscode.commands.executeCommand<BackupToStoreResult>(COMMANDS.backupToStore, api.agents!.model.find('agent:east/argocd'), { confirm: false, ...opts });
    assert.ok(r?.id, `stored: ${JSON.stringify(r)}`);
    stored.push(r);
    return r;
  }

  /** The rows under east once the listing holds `id`. */
  async function rowsWith(id: string): Promise<TreeNode[]> {
    const api = await services();
    for (let i = 0; i < 100; i++) {
      const rows = api.agents!.model.find('agent:east/argocd#stored')?.children ?? [];
      if (rows.some((r) => r.storedBackup?.id === id)) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${id} is not listed under east: ${JSON.stringify(api.agents!.model.find('agent:east/argocd#stored')?.description)}`);
  }

  const rowOf = (rows: TreeNode[], id: string): TreeNode => rows.find((r) => r.storedBackup?.id === id)!;
  const tabOf = (uri: string): vscode.Tab | undefined =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.toString() === uri);

  /** Everything the extension logs while `run` runs (the log object is shared by every feature). */
  async function logged<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
    const log = (await services()).log as unknown as Record<'info' | 'warn' | 'error', (m: string) => void>;
    const original = { info: log.info, warn: log.warn, error: log.error };
    const lines: string[] = [];
    for (const k of ['info', 'warn', 'error'] as const) {
      log[k] = (m: string) => {
        lines.push(m);
        original[k](m);
      };
    }
    try {
      return { result: await run(), lines };
    } finally {
      Object.assign(log, original);
    }
  }

  test('two stored backups diff masked, the rotated password changed per key; the older one compared with live east shows the update', async function () {
    this.timeout(180_000);
    const older = await backUpEast();
    const live = await east.get<KubeObject & { data: Record<string, string> }>(SECRET, NS, repoSecret);
    await east.replace(SECRET, NS, repoSecret, { ...live!, data: { ...live!.data, password: b64(NEW_PASSWORD), project: b64('team-a') } });
    const newer = await backUpEast();
    const rows = await rowsWith(newer.id);

    // Run from the newer row, naming the older: the older is still the left side.
    const diff = await vscode.commands.executeCommand<StoredDiffResult>(COMMANDS.diffStoredBackups, rowOf(rows, newer.id), { other: { agentKey: older.id.split('/')[0], id: older.id }, confirm: false });
    assert.strictEqual(diff.older, older.id);
    assert.strictEqual(diff.newer, newer.id);
    assert.deepStrictEqual({ ...diff.counts, unchanged: 0 }, { changed: 1, added: 0, removed: 0, unchanged: 0 }, JSON.stringify(diff.entries));
    assert.ok(diff.counts.unchanged > 40, `unchanged: ${diff.counts.unchanged}`);
    assert.deepStrictEqual(diff.entries, [
      { kind: 'Secret', name: repoSecret, action: 'changed', changes: [{ path: 'data.password', before: '<changed>', after: '<changed>' }, { path: 'data.project', after: '<changed>' }] },
    ]);
    assert.ok(tabOf(diff.left), 'the diff editor is open');
    const left = (await vscode.workspace.openTextDocument(vscode.Uri.parse(diff.left))).getText();
    const right = (await vscode.workspace.openTextDocument(vscode.Uri.parse(diff.right))).getText();
    const section = (text: string): string => text.split('---\n').find((d) => d.includes(`name: ${repoSecret}`))!;
    assert.match(section(left), /password: <hidden, before>/);
    assert.match(section(right), /password: <hidden, changed>/);
    assert.match(section(right), /project: <hidden, added>/);
    assert.match(section(right), /url: <hidden, same on both sides>/);
    for (const side of [left, right]) {
      for (const value of [OLD_PASSWORD, NEW_PASSWORD]) assert.ok(!side.includes(value) && !side.includes(b64(value)), 'no Secret value in a side of the diff');
    }

    const compared = await vscode.commands.executeCommand<RestoreCommandResult>(COMMANDS.compareStoredWithLive, rowOf(rows, older.id), { context: 'east', namespace: NS, confirm: false });
    assert.ok(compared?.plan, JSON.stringify(compared?.refused));
    assert.match(compared.plan.source, /^gitops-dr-backup:.*east-argocd-.*\.backup\.yaml$/, 'the stored backup, read into memory, is the source');
    const entry = compared.plan.entries.find((e) => e.ref.kind === 'Secret' && e.ref.name === repoSecret);
    assert.strictEqual(entry?.action, 'update', JSON.stringify(entry));
    assert.deepStrictEqual(entry.diff?.map((c) => c.path), ['data.password', 'data.project']);
    assert.ok(!JSON.stringify(compared.plan).includes(b64(NEW_PASSWORD)) && !JSON.stringify(compared.plan).includes(b64(OLD_PASSWORD)));
    assert.strictEqual(compared.plan.counts.update, 1, JSON.stringify(compared.plan.entries.filter((e) => e.action === 'update')));
    const after = await east.get<KubeObject & { data: Record<string, string> }>(SECRET, NS, repoSecret);
    assert.strictEqual(after!.data.password, b64(NEW_PASSWORD), 'comparing wrote nothing');

    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMANDS.diffStoredBackups, rowOf(rows, older.id), { other: { agentKey: older.id.split('/')[0], id: older.id }, confirm: false })), /diffed with itself/);
  });

  test('an age-encrypted stored backup: no key and a wrong key are refused naming why, the right key opens it masked; the key is never logged', async function () {
    this.timeout(180_000);
    const age = (await import('age-encryption')) as AgeModule;
    const identity = await age.generateIdentity();
    const recipient = await age.identityToRecipient(identity);
    const wrong = await age.generateIdentity();
    await config().update('backupStore.encryptTo', [recipient], vscode.ConfigurationTarget.Global);
    const { result: encrypted, lines } = await logged(async () => {
      const r = await backUpEast();
      assert.strictEqual(r.encrypted, true);
      const rows = await rowsWith(r.id);
      const row = rowOf(rows, r.id);
      assert.match(row.description!, /· verified · encrypted$/, 'size and SHA-256 verify without a key');
      assert.strictEqual(row.contextValue, 'storedBackup.encrypted');
      const dataFile = path.join(dir, r.id.split('/')[0]!, `${r.id.split('/')[1]}.backup.yaml.age`);
      const bytes = fs.readFileSync(dataFile);
      assert.ok(bytes.subarray(0, 21).toString() === 'age-encryption.org/v1', 'an age file');
      assert.ok(!bytes.includes('argocd-cm'), 'no plaintext at rest');

      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMANDS.openStoredBackup, row, { confirm: false })), /is age-encrypted and no decryption key is saved: run "GitOps DR: Set Backup Decryption Key…"/);
      assert.deepStrictEqual(await vscode.commands.executeCommand(COMMANDS.setStoreDecryptionKey, { key: wrong }), { stored: true });
      const before = vscode.workspace.textDocuments.length;
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand(COMMANDS.openStoredBackup, row, { confirm: false })),
        /cannot be decrypted with the given identity: no identity matched any of the file's recipients \(the key saved in VS Code SecretStorage/,
      );
      assert.ok(vscode.workspace.textDocuments.length <= before, 'nothing opened with a wrong key');

      await vscode.commands.executeCommand(COMMANDS.setStoreDecryptionKey, { key: identity });
      const opened = await vscode.commands.executeCommand<{ document: string }>(COMMANDS.openStoredBackup, row, { confirm: false });
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.document)!;
      assert.ok(doc.getText().includes('name: argocd-cm'), 'decrypted');
      assert.ok(doc.getText().includes(`name: ${repoSecret}`));
      assert.ok(!doc.getText().includes(b64(NEW_PASSWORD)), 'Secret values masked');

      // Decrypted, it is the export the plain backup before it holds (east did not change in between).
      const plain = stored.at(-2)!;
      const diff = await vscode.commands.executeCommand<StoredDiffResult>(COMMANDS.diffStoredBackups, row, { other: { agentKey: plain.id.split('/')[0], id: plain.id }, confirm: false });
      assert.deepStrictEqual(diff.entries, []);
      assert.ok(diff.counts.unchanged > 40);
      return r;
    });
    assert.ok(encrypted.id);
    assert.ok(lines.some((l) => /an age identity saved in VS Code SecretStorage/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes(`read ${encrypted.id}`) && l.includes('decrypted')), lines.join('\n'));
    for (const key of [identity, wrong]) assert.ok(!lines.some((l) => l.includes(key) || l.includes(key.slice(16, 40))), 'no key in the log');
  });

  test('Back Up Now cancelled while the upload is being written: no backup appears, nothing half-written is left, the next run succeeds', async function () {
    this.timeout(180_000);
    await config().update('backupStore.encryptTo', undefined, vscode.ConfigurationTarget.Global);
    const folder = path.join(dir, stored[0]?.id.split('/')[0] ?? 'none');
    const files = (): string[] => {
      try {
        return fs.readdirSync(folder).sort();
      } catch {
        return [];
      }
    };
    const before = files();
    const cts = new vscode.CancellationTokenSource();
    let cancelledAt: BackupProgress | undefined;
    let partial: string[] = [];
    const api = await services();
    const r = await vscode.commands.executeCommand<unknown>(COMMANDS.backupToStore, api.agents!.model.find('agent:east/argocd'), {
      confirm: false,
      cancellation: cts.token,
      // Cancel at the first object rendered once the data file is being written (its temporary name).
      onProgress: (p: BackupProgress) => {
        if (cancelledAt) return;
        partial = files().filter((f) => f.endsWith('.tmp'));
        if (partial.length === 0) return;
        cancelledAt = { ...p, counts: { ...p.counts } };
        cts.cancel();
      },
    });
    assert.ok(cancelledAt, `the upload was never seen in progress (result ${JSON.stringify(r)})`);
    assert.deepStrictEqual(r, { cancelled: true });
    assert.ok(partial.length === 1 && partial[0]!.startsWith('.'), `a hidden temporary file was being written: ${partial.join(', ')}`);
    assert.deepStrictEqual(files(), before, `cancelled after ${cancelledAt.total} objects: no new or half-written file`);
    await vscode.commands.executeCommand(COMMANDS.refreshStoredBackups);
    const ids = (await rowsWith(stored.at(-1)!.id)).map((x) => x.storedBackup!.id);
    assert.deepStrictEqual(ids.sort(), stored.map((s) => s.id).sort(), 'the listing holds the finished backups only');

    const next = await backUpEast();
    assert.ok((await rowsWith(next.id)).some((x) => x.storedBackup?.id === next.id));
    cts.dispose();
  });
});
