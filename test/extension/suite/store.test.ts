/// <reference types="mocha" />
// The backup store inside a real VS Code, with a directory as gitopsDr.backupLocation: "Back Up Now to Store" on
// east writes a stored backup, it is listed under east's agent node (verified) and the pair shows its RPO, it opens
// read-only with Secret values masked, and it restores into a fresh namespace on west through the restore plan flow.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { CONFIG_MAP } from '../../../src/core/objects/resources';
import type { RestoreCommandResult } from '../../../src/extension/restore/restoreCommand';
import type { BackupToStoreResult } from '../../../src/extension/store/registerStore';
import type { TreeNode } from '../../../src/extension/tree/nodes';
import { createNamespace, freshName, removeNamespace } from '../../integration/restore/support';
import { demoKubeconfig, services } from './support';
import { COMMANDS } from '../../../src/extension/commandIds';

suite('backup store', () => {
  let west: KubeClient;
  let ns: string;
  let dir: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('gitopsDr');

  suiteSetup(async function () {
    this.timeout(120_000);
    demoKubeconfig();
    const api = await services();
    await api.agents!.whenIdle();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-ext-'));
    await config().update('backupLocation', dir, vscode.ConfigurationTarget.Global);
    const kc = await loadKubeconfig(kubeconfigFiles([]));
    west = await KubeClient.forContext(kc, 'west', { timeoutMs: 15_000 });
    ns = freshName('store-ext');
    await createNamespace(west, ns);
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    await config().update('backupLocation', undefined, vscode.ConfigurationTarget.Global);
    if (west && ns) await removeNamespace(west, ns);
    west?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function storedRows(): Promise<TreeNode[]> {
    const api = await services();
    for (let i = 0; i < 100; i++) {
      const folder = api.agents!.model.find('agent:east/argocd#stored');
      if (folder?.children?.length) return folder.children;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`no stored backups under east: ${JSON.stringify(api.agents!.model.find('agent:east/argocd#stored')?.description)}`);
  }

  test('stored backups listed under an agent: Back Up Now to Store, open masked, restore through the plan flow', async function () {
    this.timeout(180_000);
    const api = await services();
    const eastNode = api.agents!.model.find('agent:east/argocd');
    assert.ok(eastNode, 'tree node of east/argocd');
    const stored = await vscode.commands.executeCommand<BackupToStoreResult>(COMMANDS.backupToStore, eastNode, { confirm: false });
    assert.ok(stored?.id, 'the backup was stored');
    assert.ok(stored.counts.Application! >= 40);
    const files = fs.readdirSync(path.join(dir, stored.id.split('/')[0]!));
    assert.strictEqual(files.filter((f) => f.endsWith('.manifest.json')).length, 1, files.join(', '));

    const rows = await storedRows();
    assert.strictEqual(rows[0]!.storedBackup?.id, stored.id, 'newest first');
    assert.match(rows[0]!.label, /^\d+ s ago$/);
    assert.match(rows[0]!.description!, /KiB · \d+ apps · \d+ projects · \d+ appsets · verified$/);
    const pair = api.agents!.model.roots().find((r) => r.contextValue === 'agentGroup' && r.children?.some((c) => c.id === 'agent:east/argocd'));
    assert.ok(pair, 'the pair of east');
    assert.match(pair.description!, /· RPO \d+ s$/, 'east, the primary, was backed up seconds ago');

    const opened = await vscode.commands.executeCommand<{ document: string }>(COMMANDS.openStoredBackup, rows[0], { confirm: false });
    assert.ok(opened?.document);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.document);
    assert.ok(doc, 'the stored backup is open');
    assert.strictEqual(doc.uri.scheme, 'gitops-dr-backup', 'read-only, in memory');
    assert.ok(doc.getText().includes('<hidden>'), 'Secret values are masked');
    assert.ok(doc.getText().includes('name: argocd-cm'));

    const planned = await vscode.commands.executeCommand<RestoreCommandResult>(COMMANDS.restoreStoredBackup, rows[0], { context: 'west', namespace: ns, apply: false, confirm: false });
    assert.ok(planned?.plan, JSON.stringify(planned?.refused));
    const creates = planned.plan.counts.create;
    assert.ok(creates > 10, `creates: ${creates}`);
    assert.strictEqual((await west.listAll(CONFIG_MAP, ns)).filter((c) => c.metadata?.name?.startsWith('argocd-')).length, 0, 'planning wrote nothing');

    const applied = await vscode.commands.executeCommand<RestoreCommandResult>(COMMANDS.restoreStoredBackup, rows[0], { context: 'west', namespace: ns, apply: true, confirm: false });
    assert.ok(applied?.result);
    assert.strictEqual(applied.result.counts.failed, 0, applied.result.results.filter((r) => r.outcome === 'failed').map((r) => r.line).join('\n'));
    assert.strictEqual(applied.result.counts.created, creates);
    assert.ok((await west.listAll(CONFIG_MAP, ns)).some((c) => c.metadata?.name === 'argocd-cm'), 'argocd-cm restored on west');
  });

  test('a stored backup that is altered is refused on open, naming it; nothing opens', async function () {
    this.timeout(60_000);
    const rows = await storedRows();
    const ref = rows[0]!.storedBackup!;
    const data = fs.readdirSync(path.join(dir, ref.agentKey)).find((f) => f.endsWith('.backup.yaml'))!;
    const file = path.join(dir, ref.agentKey, data);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 1;
    fs.writeFileSync(file, bytes);
    const before = vscode.workspace.textDocuments.length;
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMANDS.openStoredBackup, rows[0], { confirm: false })), /SHA-256 .* altered; refused/);
    assert.ok(vscode.workspace.textDocuments.length <= before, 'no document opened');
  });

  test('a backup location that is not s3:// or a directory says so under the agent and on the pair; the tree still renders', async function () {
    this.timeout(60_000);
    const api = await services();
    await config().update('backupLocation', 'ftp://backups.example/dr', vscode.ConfigurationTarget.Global);
    try {
      let folder: TreeNode | undefined;
      for (let i = 0; i < 100; i++) {
        folder = api.agents!.model.find('agent:east/argocd#stored');
        if (folder?.description?.startsWith('store unreachable')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(folder?.description ?? '', /^store unreachable: unsupported backup location "ftp:\/\/backups\.example\/dr": use s3:\/\/bucket\/prefix or a directory path$/);
      const pair = api.agents!.model.roots().find((r) => r.children?.some((c) => c.id === 'agent:east/argocd'));
      assert.match(pair!.description!, /· store unreachable$/);
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMANDS.backupToStore, api.agents!.model.find('agent:east/argocd'), { confirm: false })), /unsupported backup location/);
    } finally {
      await config().update('backupLocation', dir, vscode.ConfigurationTarget.Global);
    }
  });
});
