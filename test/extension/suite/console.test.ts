/// <reference types="mocha" />
// The DR console a person uses at 3 a.m., in a real VS Code against the demo clusters: a backup held in memory
// with Secret values masked and nothing of it in VS Code's user data folder; a restore from a tree member asks for
// its source; the Restore Plan view (dry run, apply disabled when there is nothing to do, one plan per target);
// the tree re-probed after a restore; the failover view; an unreachable context failing at once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { APPLICATION, CONFIG_MAP, SECRET } from '../../../src/core/objects/resources';
import { AGENT_CONFIG_MAP, AGENT_KEYS, isArgoSecret } from '../../../src/core/argo/argoFacts';
import type { BackupCommandResult } from '../../../src/extension/backup/backupCommand';
import type { RestoreCommandResult } from '../../../src/extension/restore/restoreCommand';
import type { FailoverViewState } from '../../../src/extension/failover/failoverView';
import { createNamespace, freshName, removeNamespace } from '../../integration/restore/support';
import { demoKubeconfig, services } from './support';

/** Every file under dir (skipping big binary caches), for a search of Secret values. */
function filesUnder(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

suite('DR console', () => {
  let east: KubeClient;
  let west: KubeClient;
  let ns: string | undefined;
  const secretValues: string[] = [];
  /** Values of the Secrets an Argo CD export holds (not the Harness agent's own token and mTLS Secrets). */
  const exportedSecretValues: string[] = [];
  let tmp: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    demoKubeconfig();
    const api = await services();
    await api.agents?.whenIdle();
    const kc = await loadKubeconfig(kubeconfigFiles([]));
    east = await KubeClient.forContext(kc, 'east', { timeoutMs: 15_000 });
    west = await KubeClient.forContext(kc, 'west', { timeoutMs: 15_000 });
    for (const s of await east.listAll(SECRET, 'argocd')) {
      for (const v of Object.values((s.data ?? {}) as Record<string, string>)) {
        if (v.length < 12) continue;
        secretValues.push(v);
        if (isArgoSecret(s)) exportedSecretValues.push(v);
      }
    }
    assert.ok(exportedSecretValues.length > 0 && exportedSecretValues.length < secretValues.length, 'the demo has Argo CD Secrets and Secrets an export leaves out');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'console-ext-'));
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    if (ns) await removeNamespace(west, ns);
    east?.close();
    west?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a backup is a read-only in-memory tab, masked; after Save As no file but the chosen 0600 one holds a Secret value', async function () {
    this.timeout(240_000);
    const api = await services();
    const r = await vscode.commands.executeCommand<BackupCommandResult>('gitopsDr.backupAgent', { context: 'east', namespace: 'argocd' }, { quiet: true });
    assert.ok(r);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.document)!;
    assert.strictEqual(doc.uri.scheme, 'gitops-dr-backup');
    assert.strictEqual(doc.isDirty, false, 'not dirty: VS Code has nothing to hot-exit copy');
    for (const v of secretValues) assert.ok(!doc.getText().includes(v), 'a Secret value is shown unmasked');
    const target = path.join(tmp, 'chosen.backup.yaml');
    assert.deepStrictEqual(await vscode.commands.executeCommand('gitopsDr.saveBackupAs', { document: r.document, path: target }), { path: target });
    assert.strictEqual(fs.statSync(target).mode & 0o777, 0o600);
    const saved = fs.readFileSync(target, 'utf8');
    assert.deepStrictEqual(exportedSecretValues.filter((v) => !saved.includes(v)), [], 'the saved file is the full backup: every Argo CD Secret value, unmasked');
    // Give VS Code time to write its hot-exit backups and state, then search its user data folder.
    await new Promise((res) => setTimeout(res, 3000));
    const userData = path.resolve(api.context.globalStorageUri.fsPath, '..', '..', '..');
    assert.ok(fs.existsSync(path.join(userData, 'User')), `user data folder ${userData}`);
    // The whole user data folder: hot-exit copies (Backups), editor state (User: workspaceStorage, globalStorage,
    // History), logs (the extension's own output channel included) and caches.
    const searched = filesUnder(userData);
    assert.ok(searched.some((f) => f.includes(`${path.sep}Backups${path.sep}`) || f.includes(`${path.sep}User${path.sep}`)), 'the search reaches VS Code\'s state');
    const leaks = searched.filter((f) => {
      const st = fs.statSync(f);
      if (st.size > 16 * 1024 * 1024) return false;
      const text = fs.readFileSync(f, 'latin1');
      return secretValues.some((v) => text.includes(v));
    });
    assert.deepStrictEqual(leaks, [], 'files in the user data folder holding a Secret value');
  });

  test('restoring from a tree member without a backup asks for the source (the active editor is not taken), listing the backup held in memory', async function () {
    this.timeout(60_000);
    const api = await services();
    const node = api.agents!.model.find('agent:west/argocd');
    assert.ok(node, 'tree node of west/argocd');
    // The tree member as the view passes it, with confirm: false so the picker a person gets is returned instead of shown.
    assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, 'yaml', 'a YAML editor is active (the saved backup)');
    const r = await vscode.commands.executeCommand<RestoreCommandResult>('gitopsDr.restoreBackup', { ...node, confirm: false });
    assert.ok(r.sourceRequired, JSON.stringify(r).slice(0, 300));
    assert.strictEqual(r.plan, undefined, 'nothing was planned');
    assert.ok(r.sourceRequired.some((s) => s.kind === 'inMemory' && /backup of east\/argocd taken/.test(s.label)), JSON.stringify(r.sourceRequired));
    assert.ok(r.sourceRequired.some((s) => s.uri === vscode.Uri.file(path.join(tmp, 'chosen.backup.yaml')).toString()), 'the saved file is a recent backup');
  });

  test('the restore target picker lists the backup\'s source last, marked, never first', async function () {
    this.timeout(60_000);
    const api = await services();
    const held = api.backups!.all().find((b) => b.target.context === 'east' && b.target.namespace === 'argocd');
    assert.ok(held, 'the backup of east/argocd taken above is held');
    for (const uri of [api.backups!.uri(held.id), vscode.Uri.file(path.join(tmp, 'chosen.backup.yaml'))]) {
      const r = await vscode.commands.executeCommand<RestoreCommandResult>('gitopsDr.restoreBackup', { uri, confirm: false });
      const items = r.targetRequired;
      assert.ok(items && items.length > 2, JSON.stringify(r).slice(0, 300));
      assert.strictEqual(r.plan, undefined, 'nothing was planned');
      assert.notStrictEqual(items[0]!.context, 'east', `the first target offered is not the source (${items[0]!.label})`);
      const source = items.findIndex((i) => i.context === 'east' && i.namespace === 'argocd');
      assert.ok(items[source]!.isSource && /the backup's source/.test(items[source]!.description), JSON.stringify(items[source]));
      const reachable = items.filter((i) => !i.unreachable);
      assert.ok(reachable.slice(-2).every((i) => i.context === 'east'), `east comes last among the reachable targets: ${reachable.map((i) => i.label).join(', ')}`);
      assert.ok(items.findIndex((i) => i.context === 'west' && i.namespace === 'argocd') < source);
    }
  });

  test('the Restore Plan view: named after source and target, one plan per target, dry run with the server\'s answers, apply, then the tree re-probed', async function () {
    this.timeout(180_000);
    const api = await services();
    ns = freshName('console');
    await createNamespace(west, ns);
    // An agent of its own in the namespace (no DR identifier), so the tree has a row whose counts the restore changes.
    await west.create(CONFIG_MAP, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: AGENT_CONFIG_MAP, namespace: ns }, data: { [AGENT_KEYS.account]: 'acc', [AGENT_KEYS.agent]: ns } });
    await api.agents!.retry('west');
    const rowId = `agent:west/${ns}`;
    assert.match(api.agents!.model.find(rowId)?.description ?? '', /· 0 apps$/, 'the new agent shows 0 apps before the restore');
    const held = api.backups!.all()[0]!;
    const uri = api.backups!.uri(held.id);
    const first = await vscode.commands.executeCommand<RestoreCommandResult>('gitopsDr.restoreBackup', { uri, context: 'west', namespace: ns, apply: false, confirm: false });
    assert.ok(first.plan && first.planId, JSON.stringify(first).slice(0, 300));
    const planDoc = vscode.window.activeTextEditor!.document;
    assert.match(planDoc.getText(), new RegExp(`^# Restore plan: backup of east/argocd taken .* → west/${ns}`, 'm'), 'the plan names its source and target');
    const again = await vscode.commands.executeCommand<RestoreCommandResult>('gitopsDr.restoreBackup', { uri, context: 'west', namespace: ns, apply: false, confirm: false });
    assert.strictEqual(again.planId, first.planId, 'planning the same target again replaces its plan');

    const dry = await vscode.commands.executeCommand<{ dryRun: boolean; counts: Record<string, number> }>('gitopsDr.plan.dryRun', { planId: first.planId, confirm: false });
    assert.ok(dry?.dryRun);
    assert.strictEqual(dry.counts.failed, 0);
    assert.ok(dry.counts.created > 10, JSON.stringify(dry.counts));

    const before = api.agents!.model.snapshot.contexts.find((c) => c.name === 'west');
    const applied = await vscode.commands.executeCommand<{ dryRun: boolean; counts: Record<string, number> }>('gitopsDr.plan.apply', { planId: first.planId, confirm: false });
    assert.ok(applied && !applied.dryRun);
    assert.strictEqual(applied.counts.failed, 0);
    const after = api.agents!.model.snapshot.contexts.find((c) => c.name === 'west');
    assert.notStrictEqual(after, before, 'west was probed again when the restore ended, without a refresh');
    const restoredApps = (await west.listAll(APPLICATION, ns)).length;
    assert.ok(restoredApps > 10, `applications restored into ${ns}: ${restoredApps}`);
    assert.match(api.agents!.model.find(rowId)?.description ?? '', new RegExp(`· ${restoredApps} apps$`), 'the tree shows the new count without a manual refresh');

    // Nothing left to do: planning again gives an all-unchanged plan that apply refuses.
    const third = await vscode.commands.executeCommand<RestoreCommandResult>('gitopsDr.restoreBackup', { uri, context: 'west', namespace: ns, apply: false, confirm: false });
    assert.strictEqual(third.plan!.counts.create + third.plan!.counts.update, 0);
    assert.strictEqual(await vscode.commands.executeCommand('gitopsDr.plan.apply', { planId: third.planId, confirm: false }), undefined, 'apply is refused with nothing to do');
  });

  test('the failover view shows the pre-flight and five pending steps, and Stop before a start changes nothing', async function () {
    this.timeout(120_000);
    const r = await vscode.commands.executeCommand<{ view: FailoverViewState }>('gitopsDr.failover', { agent: { context: 'west', namespace: 'argocd' }, view: true, from: 'east' });
    assert.ok(r?.view, JSON.stringify(r).slice(0, 300));
    assert.ok(r.view.checks.length > 0);
    assert.deepStrictEqual(r.view.steps.map((s) => s.id), ['block-old', 'restore', 'switch-primary', 'allow-new', 'verify']);
    assert.ok(r.view.steps.every((s) => s.state === 'pending'));
    const state = await vscode.commands.executeCommand<FailoverViewState>('gitopsDr.failoverView.act', { action: 'stop' });
    assert.ok(state && !state.running && state.steps.every((s) => s.state === 'pending'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a backup of a context the tree knows is unreachable fails at once with the known reason', async function () {
    this.timeout(30_000);
    const api = await services();
    const offline = api.agents!.model.snapshot.contexts.find((c) => c.state === 'unreachable');
    if (!offline) this.skip();
    const started = Date.now();
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('gitopsDr.backupAgent', { context: offline.name, namespace: 'argocd' }, { quiet: true })), /is unreachable .*Retry/);
    assert.ok(Date.now() - started < 2000, `failed after ${Date.now() - started} ms`);
  });
});
