/// <reference types="mocha" />
// Restore and compare inside a real VS Code against the demo clusters: east's backup restored into a fresh
// namespace on west (plan, apply, result tab, rerun unchanged), the lint gate, the per-object diff (no Secret value
// on either side), compare with the live primary, and a tree-node style target. The namespace is removed afterwards.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { CONFIG_MAP, SECRET } from '../../../src/core/objects/resources';
import type { RestoreCommandResult } from '../../../src/extension/restore/restoreCommand';
import { backupText, createNamespace, documentTexts, freshName, removeNamespace } from '../../integration/restore/support';
import { demoKubeconfig, recordOperationWrites, refreshStorm, services } from './support';
import { COMMANDS } from '../../../src/extension/commandIds';

suite('restore', () => {
  let east: KubeClient;
  let west: KubeClient;
  let ns: string;
  let file: string;
  let dir: string;
  const SECRET_VALUES: string[] = [];

  suiteSetup(async function () {
    this.timeout(120_000);
    demoKubeconfig();
    await services();
    const kc = await loadKubeconfig(kubeconfigFiles([]));
    east = await KubeClient.forContext(kc, 'east', { timeoutMs: 15_000 });
    west = await KubeClient.forContext(kc, 'west', { timeoutMs: 15_000 });
    const { text } = await backupText(east, 'argocd');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-ext-'));
    file = path.join(dir, 'east.backup.yaml');
    fs.writeFileSync(file, text, { mode: 0o600 });
    // Every encoded value, and the decoded values of credential keys (names and URLs also appear in metadata).
    for (const s of await east.listAll(SECRET, 'argocd')) {
      for (const [k, v] of Object.entries((s.data ?? {}) as Record<string, string>)) {
        if (v.length >= 8) SECRET_VALUES.push(v);
        const plain = Buffer.from(v, 'base64').toString('utf8');
        if (/password|token|key|config|secret|cert/i.test(k) && plain.length >= 6) SECRET_VALUES.push(plain);
      }
    }
    ns = freshName('restore-ext');
    await createNamespace(west, ns);
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    if (west && ns) await removeNamespace(west, ns);
    east?.close();
    west?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (arg: unknown): Thenable<RestoreCommandResult> => vscode.commands.executeCommand<RestoreCommandResult>(COMMANDS.restoreBackup, arg);

  test('plan first (nothing written), then apply: result tab with Argo CD lines, rerun all unchanged', async function () {
    this.timeout(120_000);
    const planned = await run({ uri: file, context: 'west', namespace: ns, apply: false, confirm: false });
    assert.ok(planned.plan, JSON.stringify(planned.refused));
    const creates = planned.plan.counts.create;
    assert.ok(creates > 10, `creates: ${creates}`);
    assert.strictEqual((await west.listAll(CONFIG_MAP, ns)).filter((c) => c.metadata?.name?.startsWith('argocd-')).length, 0, 'planning wrote nothing');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'gitops-dr-plan', 'the plan opens in an editor');
    assert.match(vscode.window.activeTextEditor!.document.getText(), new RegExp(`Target:.*west.*namespace \`${ns}\``));

    const applied = await run({ uri: file, context: 'west', namespace: ns, apply: true, confirm: false });
    assert.ok(applied.result);
    assert.strictEqual(applied.result.counts.failed, 0, applied.result.results.filter((r) => r.outcome === 'failed').map((r) => r.line).join('\n'));
    assert.strictEqual(applied.result.counts.created, creates);
    const tab = vscode.window.activeTextEditor!.document;
    assert.strictEqual(tab.uri.path.endsWith('result.log'), true);
    assert.ok(tab.getText().includes(`/ConfigMap argocd-cm in namespace ${ns} created`), tab.getText().slice(0, 500));

    const again = await run({ uri: file, context: 'west', namespace: ns, apply: true, confirm: false });
    assert.strictEqual(again.result!.counts.unchanged, creates);
    assert.strictEqual(again.result!.counts.created + again.result!.counts.updated, 0);
  });

  test('the diff of an update shows live vs backup; a Secret diff holds no Secret value', async function () {
    this.timeout(60_000);
    await west.patchMerge(CONFIG_MAP, ns, 'argocd-rbac-cm', { data: { 'policy.default': 'role:changed-live' } });
    const secretName = (await west.listAll(SECRET, ns)).find((s) => s.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'repository')!.metadata!.name!;
    await west.patchMerge(SECRET, ns, secretName, { stringData: { password: 'live-only-password-xyz' } });
    const planned = await run({ uri: file, context: 'west', namespace: ns, apply: false, confirm: false });
    const entries = planned.plan!.entries as Array<{ ref: { kind: string; name: string }; action: string }>;
    const cmIndex = entries.findIndex((e) => e.ref.kind === 'ConfigMap' && e.ref.name === 'argocd-rbac-cm');
    const secretIndex = entries.findIndex((e) => e.ref.kind === 'Secret' && e.ref.name === secretName);
    assert.strictEqual(entries[cmIndex]!.action, 'update');
    assert.strictEqual(entries[secretIndex]!.action, 'update');

    const shown = await vscode.commands.executeCommand<{ left: string; right: string }>(COMMANDS.showPlanDiff, { planId: planned.planId, index: cmIndex });
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    const left = (await vscode.workspace.openTextDocument(vscode.Uri.parse(shown.left))).getText();
    const right = (await vscode.workspace.openTextDocument(vscode.Uri.parse(shown.right))).getText();
    assert.match(left, /role:changed-live/);
    assert.doesNotMatch(right, /role:changed-live/);

    const secretDiff = await vscode.commands.executeCommand<{ left: string; right: string }>(COMMANDS.showPlanDiff, { planId: planned.planId, index: secretIndex });
    const both = (await vscode.workspace.openTextDocument(vscode.Uri.parse(secretDiff.left))).getText() + (await vscode.workspace.openTextDocument(vscode.Uri.parse(secretDiff.right))).getText();
    const secretLeft = (await vscode.workspace.openTextDocument(vscode.Uri.parse(secretDiff.left))).getText();
    const secretRight = (await vscode.workspace.openTextDocument(vscode.Uri.parse(secretDiff.right))).getText();
    assert.match(secretLeft, /password: <hidden, live value>/, 'the changed key is marked on the live side');
    assert.match(secretRight, /password: <hidden, changed by the restore>/, 'and reads differently on the restore side, so the diff highlights it');
    for (const v of [...SECRET_VALUES, 'live-only-password-xyz', Buffer.from('live-only-password-xyz').toString('base64')]) assert.ok(!both.includes(v), 'a Secret value reached the diff');
    const planText = (await vscode.workspace.openTextDocument(vscode.Uri.parse(`gitops-dr-plan:/${planned.planId}/x.md`))).getText();
    for (const v of [...SECRET_VALUES, 'live-only-password-xyz']) assert.ok(!planText.includes(v), 'a Secret value reached the plan');

    const fixed = await run({ uri: file, context: 'west', namespace: ns, apply: true, confirm: false });
    assert.strictEqual(fixed.result!.counts.updated, 2);
  });

  test('a file the linter reports errors on is refused with the list, and nothing is written', async function () {
    this.timeout(60_000);
    const bad = path.join(dir, 'with-agent.backup.yaml');
    const docs = documentTexts(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(bad, `${docs[0]}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: gitops-agent\ndata:\n  GITOPS_AGENT_TOKEN: dG9rZW4=\n---\n`, { mode: 0o600 });
    const target = freshName('restore-ext-refused');
    const r = await run({ uri: bad, context: 'west', namespace: target, apply: true, confirm: false });
    assert.ok(r.refused && r.refused.length > 0, JSON.stringify(r));
    assert.ok(r.refused.some((l) => /with-agent\.backup\.yaml:\d+:\d+: .*DRL003/.test(l)), r.refused.join('\n'));
    assert.strictEqual(r.result, undefined);
    assert.strictEqual((await west.listAll(CONFIG_MAP, target)).length, 0);
  });

  test('compare with live: a restored namespace as the primary, a second one as the secondary: no drift, then one update', async function () {
    this.timeout(120_000);
    const secondary = freshName('restore-ext-second');
    await createNamespace(west, secondary);
    try {
      const restored = await run({ uri: file, context: 'west', namespace: secondary, apply: true, confirm: false });
      assert.strictEqual(restored.result!.counts.failed, 0);
      const compare = (): Thenable<RestoreCommandResult> =>
        vscode.commands.executeCommand<RestoreCommandResult>(COMMANDS.compareWithLive, { sourceContext: 'west', sourceNamespace: ns, context: 'west', namespace: secondary, confirm: false });
      const same = (await compare()).plan!.counts;
      assert.strictEqual(same.create + same.update + same.prune + same.error, 0, JSON.stringify(same));
      assert.ok(same.unchanged > 10);
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'gitops-dr-plan');
      await west.patchMerge(CONFIG_MAP, secondary, 'argocd-cm', { data: { 'drift.example': 'only-on-the-secondary' } });
      const drift = (await compare()).plan!;
      assert.deepEqual(drift.entries.filter((e) => e.action === 'update').map((e) => [e.ref.name, e.diff]), [['argocd-cm', [{ path: 'data["drift.example"]', before: 'only-on-the-secondary' }]]]);
    } finally {
      await removeNamespace(west, secondary);
    }
  });

  test('a refresh of the tree in the middle of a restore does not disturb it: every object written once, none failed', async function () {
    this.timeout(120_000);
    const api = await services();
    const target = freshName('restore-ext-refresh');
    await createNamespace(west, target);
    const recorder = recordOperationWrites(api);
    const storm = refreshStorm(api);
    try {
      const r = await run({ uri: file, context: 'west', namespace: target, apply: true, confirm: false });
      const refreshes = await storm.stop();
      assert.ok(r.result && r.plan, 'applied');
      assert.ok(refreshes >= 2, `the tree was refreshed during the restore (${refreshes} times)`);
      assert.strictEqual(r.result.counts.failed, 0, r.result.results.filter((x) => x.outcome === 'failed').map((x) => x.line).join('\n'));
      assert.strictEqual(r.result.counts.created, r.plan.counts.create);
      assert.ok(recorder.writes.size >= r.plan.counts.create, `the restore ran on its own clients (${recorder.writes.size} writes seen)`);
      assert.deepStrictEqual(recorder.retried(), [], 'no write had to be sent again');
    } finally {
      await storm.stop();
      recorder.restore();
      await removeNamespace(west, target);
    }
  });

  test('a tree-node style target with the backup open in the editor: the source is asked for, then named', async function () {
    this.timeout(60_000);
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const asked = await run({ agent: { context: 'west', namespace: ns }, confirm: false });
    assert.ok(asked.sourceRequired?.some((s) => s.uri === vscode.Uri.file(file).toString()), 'the open editor is offered, not taken silently');
    assert.strictEqual(asked.plan, undefined);
    const r = await run({ agent: { context: 'west', namespace: ns }, uri: file, confirm: false });
    assert.ok(r.plan);
    assert.strictEqual(r.result, undefined, 'from a node, without apply: true, nothing is applied');
    assert.strictEqual(r.plan.target.namespace, ns);
  });
});
