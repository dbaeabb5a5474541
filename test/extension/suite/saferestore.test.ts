/// <reference types="mocha" />
// DR-safe restore inside a real VS Code against the demo clusters: the "Create namespaces" choice travels with the
// plan to the plan view's Apply (which creates the missing application namespace, plans again and restores its
// Applications), and the restore drill of the newest stored backup on the pair's member west (east's backup, not
// west's own newer one; report 0600, RTO, no scratch namespace left, west's Argo CD namespace untouched), and the
// first "Restore into Secondary" on a secondary that was never fenced (blocked first, stays fenced).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { APPLICATION, APP_PROJECT, CONFIG_MAP, NAMESPACE } from '../../../src/core/objects/resources';
import { listSyncWindows } from '../../../src/core/syncWindows/onCluster';
import type { RestoreIntoSecondaryResult } from '../../../src/extension/secondary/restoreIntoSecondary';
import type { RestoreResult } from '../../../src/core/restore/types';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import type { RestoreCommandResult } from '../../../src/extension/restore/restoreCommand';
import type { DrillCommandResult } from '../../../src/extension/restore/drillCommand';
import type { BackupToStoreResult } from '../../../src/extension/store/registerStore';
import { backupText, createNamespace, freshName, removeNamespace } from '../../integration/restore/support';
import { captureState, diffState, type CapturedState } from '../../integration/failover/clusterState';
import { demoKubeconfig, services } from './support';
import { COMMANDS } from '../../../src/extension/commandIds';

suite('safe restore: create namespaces, drill from the store', () => {
  let east: KubeClient;
  let west: KubeClient;
  let dir: string;
  const cleanup: string[] = [];
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('gitopsDr');

  suiteSetup(async function () {
    this.timeout(120_000);
    demoKubeconfig();
    await services();
    const kc = await loadKubeconfig(kubeconfigFiles([]));
    east = await KubeClient.forContext(kc, 'east', { timeoutMs: 15_000 });
    west = await KubeClient.forContext(kc, 'west', { timeoutMs: 15_000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saferestore-ext-'));
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    await config().update('backupLocation', undefined, vscode.ConfigurationTarget.Global);
    for (const ns of cleanup) {
      await removeNamespace(west, ns);
      // Finish what the namespace controller would: the test clusters have none.
      const live = await west.get(NAMESPACE, undefined, ns).catch(() => undefined);
      if (live) await west.request(`/api/v1/namespaces/${ns}/finalize`, { method: 'PUT', body: { ...live, spec: { finalizers: [] } } }).catch(() => undefined);
    }
    east?.close();
    west?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('"Create namespaces": Apply is enabled despite the missing application namespace, creates it, plans again and restores its Applications', async function () {
    this.timeout(180_000);
    // east's backup with team-alpha's Applications moved to an application namespace that west does not have.
    const appNs = freshName('team-ext');
    const { text } = await backupText(east, 'argocd', { applicationNamespaces: ['team-*'] });
    const file = path.join(dir, 'east-appns.backup.yaml');
    fs.writeFileSync(file, text.split('namespace: team-alpha\n').join(`namespace: ${appNs}\n`), { mode: 0o600 });
    const movedApps = (await east.listAll(APPLICATION, 'team-alpha')).map((a) => a.metadata!.name!).sort();
    assert.ok(movedApps.length >= 1, 'the demo has Applications in team-alpha');
    // The target's Argo CD enables exactly that namespace for Applications (the choice creates enabled ones only).
    const betaBefore = await west.get(NAMESPACE, undefined, 'team-beta');
    const target = freshName('saferestore-ext');
    await createNamespace(west, target);
    cleanup.push(target, appNs);
    await west.create(CONFIG_MAP, target, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cmd-params-cm', namespace: target }, data: { 'application.namespaces': appNs } });

    const apply = (planId: string | undefined): Thenable<RestoreResult | undefined> => vscode.commands.executeCommand<RestoreResult | undefined>('gitopsDr.plan.apply', { planId, confirm: false });

    // Without the choice: the plan names the missing namespace, and Apply refuses (nothing is written).
    const without = await vscode.commands.executeCommand<RestoreCommandResult>(COMMANDS.restoreBackup, { uri: file, context: 'west', namespace: target, apply: false, confirm: false });
    assert.ok(without.plan, JSON.stringify(without.refused));
    assert.deepStrictEqual(without.plan.missingNamespaces, [appNs]);
    assert.strictEqual(without.plan.entries.filter((e) => e.action === 'error' && e.ref.namespace === appNs).length, movedApps.length);
    assert.strictEqual(await apply(without.planId), undefined, 'Apply refused: the plan has errors and the choice is off');
    assert.strictEqual(await west.get(NAMESPACE, undefined, appNs), undefined, 'no namespace created');
    assert.strictEqual((await west.listAll(CONFIG_MAP, target)).filter((c) => c.metadata?.name === 'argocd-cm').length, 0, 'nothing restored');

    // With the choice (planned, then applied from the plan view as a person does): the choice is kept with the plan.
    const planned = await vscode.commands.executeCommand<RestoreCommandResult>(COMMANDS.restoreBackup, { uri: file, context: 'west', namespace: target, apply: false, confirm: false, createNamespaces: true });
    assert.ok(planned.plan && planned.planId);
    assert.deepStrictEqual(planned.plan.missingNamespaces, [appNs], 'the plan still says what is missing');
    const result = await apply(planned.planId);
    assert.ok(result, 'Apply ran: the missing namespace the choice creates does not block it');
    assert.strictEqual(result.counts.failed, 0, result.results.filter((r) => r.outcome === 'failed').map((r) => r.line).join('\n'));
    const created = await west.get(NAMESPACE, undefined, appNs);
    assert.ok(created, `${appNs} created`);
    assert.strictEqual(created.metadata?.labels?.['gitops-agent-dr/created-by'], 'restore');
    assert.deepStrictEqual((await west.listAll(APPLICATION, appNs)).map((a) => a.metadata!.name!).sort(), movedApps, `team-alpha's Applications restored into ${appNs}`);
    assert.ok((await west.listAll(APPLICATION, target)).length >= 40, 'and those of the Argo CD namespace');
    // Namespaces the backup needs but the target does not enable are not created (team-beta is not enabled here).
    if (!betaBefore) assert.strictEqual(await west.get(NAMESPACE, undefined, 'team-beta'), undefined, 'team-beta (not enabled on the target) not created');
  });

  test('drill on the pair member west from the store: east\'s newest stored backup (not west\'s own), report 0600 with the RTO, no scratch namespace left', async function () {
    this.timeout(240_000);
    const api = await services();
    await api.agents!.whenIdle();
    const initial: CapturedState = await captureState(west, 'argocd');
    const storeDir = path.join(dir, 'store');
    fs.mkdirSync(storeDir);
    const nodeOf = (id: string): unknown => {
      const n = api.agents!.model.find(id);
      assert.ok(n, `tree node ${id}`);
      return n;
    };

    // Bad input first: no backup location, then a target that is no agent of the tree.
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMANDS.drill, { context: 'west', namespace: 'argocd', fromStore: true, confirm: false })), /no backup location configured/);
    await config().update('backupLocation', storeDir, vscode.ConfigurationTarget.Global);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMANDS.drill, { context: 'west', namespace: 'not-an-agent', fromStore: true, confirm: false })), /is no agent of the DR Agents view/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMANDS.drill, { ...(nodeOf('agent:west/argocd') as object), fromStore: true, confirm: false })), /holds no verified backup of agent/);

    const eastStored = await vscode.commands.executeCommand<BackupToStoreResult>(COMMANDS.backupToStore, nodeOf('agent:east/argocd'), { confirm: false });
    const westStored = await vscode.commands.executeCommand<BackupToStoreResult>(COMMANDS.backupToStore, nodeOf('agent:west/argocd'), { confirm: false });
    assert.ok(eastStored?.id && westStored?.id && westStored.id > eastStored.id, 'west\'s own backup is the newer one');

    const reportPath = path.join(dir, 'reports', 'drill.md');
    const r = await vscode.commands.executeCommand<DrillCommandResult>(COMMANDS.drill, { ...(nodeOf('agent:west/argocd') as object), fromStore: true, confirm: false, reportPath });
    assert.ok(r && 'reportPath' in r, JSON.stringify(r));
    cleanup.push(r.scratchNamespace);
    assert.strictEqual(r.ok, true, r.error ?? r.mismatches.join('\n'));
    assert.strictEqual(r.context, 'west');
    assert.ok(r.source.includes(eastStored.id), `drilled ${r.source}: east's backup, the primary's`);
    assert.ok(r.counts.objects >= 40 && r.counts.verified === r.counts.objects, JSON.stringify(r.counts));
    assert.ok(r.rtoMs !== undefined && r.rtoMs > 0);
    assert.match(r.message, /^Restore drill on west PASSED: RTO \d+\.\d\d s, \d+\/\d+ objects verified; scratch namespace removed\. Report: /);

    assert.strictEqual(r.reportPath, reportPath);
    assert.strictEqual((fs.statSync(reportPath).mode & 0o777).toString(8), '600');
    const md = fs.readFileSync(reportPath, 'utf8');
    assert.match(md, /^# Restore drill: PASSED/);
    assert.match(md, new RegExp(`RTO \\(start to every object verified\\): ${(r.rtoMs / 1000).toFixed(2)} s`));
    assert.ok(md.includes(eastStored.id), 'the report names the stored backup');
    assert.doesNotMatch(md, /GITOPS_AGENT_TOKEN|password:/, 'no Secret data in the report');

    // Nothing left in the scratch namespace, which is deleted (Terminating here: no namespace controller runs).
    assert.strictEqual(r.cleanup.namespaceDeleted, true);
    for (const type of [APPLICATION, CONFIG_MAP]) {
      const left: KubeObject[] = (await west.listAll(type, r.scratchNamespace)).filter((o: KubeObject) => o.metadata?.name !== 'kube-root-ca.crt');
      assert.deepStrictEqual(left.map((o) => o.metadata!.name), [], `no ${type.kind} left in ${r.scratchNamespace}`);
    }
    const scratch = await west.get(NAMESPACE, undefined, r.scratchNamespace);
    assert.ok(!scratch || scratch.metadata?.deletionTimestamp, `${r.scratchNamespace} deleted`);
    if (scratch) await west.request(`/api/v1/namespaces/${r.scratchNamespace}/finalize`, { method: 'PUT', body: { ...scratch, spec: { finalizers: [] } } });
    assert.deepStrictEqual(await diffState(west, initial), [], 'west/argocd untouched by the drill');

    // A restore into the secondary offers the same source: the newest stored backup, east's (planned only here).
    const planned = await vscode.commands.executeCommand<RestoreCommandResult>(COMMANDS.restoreBackup, { context: 'west', namespace: 'argocd', fromStore: true, apply: false, confirm: false });
    assert.ok(planned.plan, JSON.stringify(planned));
    assert.ok(planned.plan.counts.create >= 40, `east's backup planned into west: ${JSON.stringify(planned.plan.counts)}`);
  });

  test('Restore into Secondary on a secondary that was never fenced: syncs are blocked first, and every AppProject the restore writes stays fenced', async function () {
    this.timeout(180_000);
    const secondary = freshName('saferestore-second');
    await createNamespace(west, secondary);
    cleanup.push(secondary);
    // A fresh install: Argo CD's default project, no sync window.
    await west.create(APP_PROJECT, secondary, { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: secondary }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }] } });
    const file = path.join(dir, 'east.backup.yaml');
    fs.writeFileSync(file, (await backupText(east, 'argocd')).text, { mode: 0o600 });

    const r = await vscode.commands.executeCommand<RestoreIntoSecondaryResult>(COMMANDS.restoreIntoSecondary, { agent: { context: 'west', namespace: secondary }, uri: file, apply: true, confirm: false });
    assert.strictEqual(r.fence, 'blocked');
    const restored = r.restore as RestoreCommandResult;
    assert.ok(restored.result, JSON.stringify(restored).slice(0, 500));
    assert.strictEqual(restored.result.counts.failed, 0);
    const projects = await listSyncWindows(west, secondary);
    assert.ok(projects.length >= 4, `the backup's projects restored: ${projects.map((p) => p.project).join(', ')}`);
    assert.deepStrictEqual(projects.filter((p) => p.state !== 'blocked').map((p) => p.project), [], 'every AppProject of the secondary denies syncs');

    // Fenced already: nothing more is blocked, and the restore keeps the fence.
    const again = await vscode.commands.executeCommand<RestoreIntoSecondaryResult>(COMMANDS.restoreIntoSecondary, { agent: { context: 'west', namespace: secondary }, uri: file, apply: true, confirm: false });
    assert.strictEqual(again.fence, 'alreadyFenced');
    assert.deepStrictEqual((await listSyncWindows(west, secondary)).filter((p) => p.state !== 'blocked').map((p) => p.project), []);
  });
});
