/// <reference types="mocha" />
// "Back up agent" inside a real VS Code against the demo clusters: the command (called from a tree node and with
// `{context, namespace}`) opens a YAML tab whose first document is Argo CD's argocd-cm, "Save backup as" writes a
// 0600 file, and a refused identity fails without opening anything.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BackupCommandResult } from '../../../src/extension/backup/backupCommand';
import { demoKubeconfig, limitedKubeconfig, services } from './support';
import { COMMANDS } from '../../../src/extension/commandIds';

const FIRST_DOCUMENT_START = 'apiVersion: v1\ndata:\n';

function documentOf(uri: string): vscode.TextDocument {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  assert.ok(doc, `document ${uri} is open`);
  return doc;
}

suite('backup', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    demoKubeconfig();
    await services();
  });

  test('Back up agent opens a YAML tab whose first document is argocd-cm, as argocd admin export writes it', async function () {
    this.timeout(60_000);
    const r = await vscode.commands.executeCommand<BackupCommandResult>(COMMANDS.backupAgent, { context: 'east', namespace: 'argocd' }, { quiet: true });
    assert.ok(r, 'the command returns its result');
    const doc = documentOf(r.document);
    assert.strictEqual(doc.languageId, 'yaml');
    assert.strictEqual(doc.uri.scheme, 'gitops-dr-backup', 'held in memory, read-only: nothing is written to disk until the user saves');
    assert.match(path.basename(doc.uri.path), /^east-argocd-\d{8}T\d{6}Z\.backup\.yaml$/);
    assert.strictEqual(path.basename(doc.uri.path), `east-argocd-${r.capturedAt.replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}.backup.yaml`, 'named after the capture time');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), r.document, 'the tab is shown');
    const text = doc.getText();
    const first = text.slice(0, text.indexOf('\n---\n') + 1);
    assert.ok(first.startsWith(FIRST_DOCUMENT_START), first.slice(0, 80));
    assert.match(first, /\nkind: ConfigMap\nmetadata:\n(?: {2}\S.*\n| {4}.*\n)* {2}name: argocd-cm\n$/);
    assert.strictEqual(r.result.counts.ConfigMap, 4);
    assert.strictEqual(r.result.counts.ApplicationSet, 2);
    assert.ok(r.result.counts.Application >= 40);
    assert.deepStrictEqual(r.result.missing, []);
    assert.ok(!text.includes('GITOPS_AGENT_TOKEN'), 'no agent Secret in the backup');
    assert.ok(text.endsWith('---\n'));
  });

  test('from a tree node: the agent node of east backs up the same namespace', async function () {
    this.timeout(60_000);
    const api = await services();
    if (!api.agents) this.skip();
    await api.agents.whenIdle();
    const node = api.agents.model.find('agent:east/argocd');
    assert.ok(node, 'tree node of east/argocd');
    const r = await vscode.commands.executeCommand<BackupCommandResult>(COMMANDS.backupAgent, node, { quiet: true });
    assert.ok(r);
    assert.deepStrictEqual(r.target, { context: 'east', namespace: 'argocd' });
  });

  test('Save backup as writes the full backup (not the masked view) to a 0600 file and replaces the tab by it', async function () {
    this.timeout(60_000);
    const r = await vscode.commands.executeCommand<BackupCommandResult>(COMMANDS.backupAgent, { context: 'east', namespace: 'argocd' }, { quiet: true });
    assert.ok(r);
    assert.ok(documentOf(r.document).getText().includes('<hidden>'), 'Secret values are masked in the tab');
    assert.ok(await vscode.commands.executeCommand('gitopsDr.revealBackupSecrets', vscode.Uri.parse(r.document)));
    for (let i = 0; i < 50 && documentOf(r.document).getText().includes('<hidden>'); i++) await new Promise((res) => setTimeout(res, 100));
    const text = documentOf(r.document).getText();
    assert.ok(!text.includes('<hidden>'), 'revealed');
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-save-')), 'east.backup.yaml');
    const saved = await vscode.commands.executeCommand<{ path: string }>(COMMANDS.saveBackupAs, { document: r.document, path: target });
    assert.deepStrictEqual(saved, { path: target });
    assert.strictEqual(fs.readFileSync(target, 'utf8'), text);
    assert.strictEqual(fs.statSync(target).mode & 0o777, 0o600);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, target);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(target)), ['east.backup.yaml'], 'no temporary file left');
  });

  test('an identity that may not read Secrets gets an error naming the permission, and no tab', async function () {
    this.timeout(60_000);
    const api = await services();
    const settings = vscode.workspace.getConfiguration('gitopsDr');
    // The limited identity's contexts (east-limited, ...) come from their own file, given to the tier; the rest
    // of the suite sees only the demo kubeconfig.
    await settings.update('kubeconfigPaths', [demoKubeconfig(), limitedKubeconfig()], vscode.ConfigurationTarget.Global);
    try {
      await api.agents!.refresh();
      assert.ok((await api.kube.kubeconfig()).contexts.some((c) => c.name === 'east-limited'), 'the limited context is read');
      const before = vscode.workspace.textDocuments.length;
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand(COMMANDS.backupAgent, { context: 'east-limited', namespace: 'argocd' }, { quiet: true })),
        /needs list on secrets/,
      );
      assert.strictEqual(vscode.workspace.textDocuments.length, before);
    } finally {
      await settings.update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
      await api.agents!.refresh();
    }
  });
});
