/// <reference types="mocha" />
// Failover inside a real VS Code against the demo clusters, with the local Harness server started in-process and
// the base URL setting pointed at it: roles in the tree, sync-window commands, a failover east -> west and back.
// Both clusters are put back as seeded in suiteTeardown.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../src/extension/tree/nodes';
import type { FailoverReport } from '../../../src/core/failover/model';
import type { SyncWindowsResult } from '../../../src/core/syncWindows/onCluster';
import type { ProjectWindows } from '../../../src/core/syncWindows/evaluate';
import { describeOutcomes, listSyncWindows } from '../../../src/core/syncWindows/onCluster';
import { APPLICATION } from '../../../src/core/objects/resources';
import { FakeHarness } from '../../support/fakeHarness';
import { captureState, diffState, restoreState, type CapturedState } from '../../integration/failover/clusterState';
import { demoKubeconfig, recordOperationWrites, refreshStorm, services } from './support';
import { COMMANDS } from '../../../src/extension/commandIds';

const KEY = 'pat.kmpySmUISimoRrJL6NL73w.exthost.Q1w2E3';
const ACCOUNT = 'kmpySmUISimoRrJL6NL73w';
const NS = 'argocd';

function member(ctx: string): Promise<TreeNode> {
  return services().then((api) => {
    const node = api.agents!.model.find(`agent:${ctx}/${NS}`);
    assert.ok(node, `tree node of ${ctx}/${NS}`);
    return node;
  });
}

async function refreshTree(): Promise<void> {
  await vscode.commands.executeCommand(COMMANDS.refresh);
  await vscode.commands.executeCommand(COMMANDS.refreshHarnessRoles);
}

suite('failover', () => {
  let fake: FakeHarness;
  const initial = new Map<string, CapturedState>();

  suiteSetup(async function () {
    this.timeout(120_000);
    demoKubeconfig();
    const api = await services();
    await api.agents!.whenIdle();
    for (const ctx of ['east', 'west']) initial.set(ctx, await captureState(await api.kube.client(ctx), NS));
    fake = await FakeHarness.start({
      apiKeys: [KEY],
      nodes: [
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'east', type: 'PRIMARY', syncAllowed: true },
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'west', type: 'SECONDARY', syncAllowed: false },
      ],
    });
    await vscode.workspace.getConfiguration('gitopsDr').update('harness.baseUrl', fake.url, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('gitopsDr').update('harness.timeoutSeconds', 5, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    const api = await services();
    for (const ctx of ['west', 'east']) {
      const before = initial.get(ctx);
      if (!before) continue;
      const client = await api.kube.client(ctx);
      await restoreState(client, before);
      assert.deepStrictEqual(await diffState(client, before), [], `${ctx} is back as seeded`);
    }
    await vscode.commands.executeCommand(COMMANDS.clearHarnessApiKey);
    await vscode.workspace.getConfiguration('gitopsDr').update('harness.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('gitopsDr').update('harness.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await fake?.close();
    await refreshTree();
  });

  test('the failover, key and sync-window commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['gitopsDr.failover', 'gitopsDr.setHarnessApiKey', 'gitopsDr.clearHarnessApiKey', 'gitopsDr.refreshHarnessRoles', 'gitopsDr.syncWindows.block', 'gitopsDr.syncWindows.allow', 'gitopsDr.syncWindows.show']) {
      assert.ok(all.includes(id), `${id} registered`);
    }
  });

  test('without a key: roles unknown, and the failover plan makes the switch a manual step', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand(COMMANDS.clearHarnessApiKey);
    await refreshTree();
    const west = await member('west');
    assert.strictEqual(west.contextValue, 'agent.member.unknownRole');
    assert.match(west.tooltip!, /role unknown: connect to Harness/);
    const dry = await vscode.commands.executeCommand<{ preflightOnly: true; report: FailoverReport['preflight']; steps: Array<{ id: string; description: string }> }>(COMMANDS.failover, { agent: { context: 'west', namespace: NS }, dryRun: true, confirm: false });
    assert.strictEqual(dry.report.harness, 'noKey');
    assert.strictEqual(dry.report.ok, true, JSON.stringify(dry.report.checks, null, 1));
    assert.strictEqual(dry.report.checks.find((c) => c.id === 'harness')!.status, 'warn');
    assert.match(dry.steps.find((s) => s.id === 'switch-primary')!.description, /manual step in Harness/);
    assert.deepStrictEqual(await diffState(await (await services()).kube.client('west'), initial.get('west')!), [], 'a dry run changes nothing');
  });

  test('with a key the tree shows each member\'s Harness role and health', async function () {
    this.timeout(60_000);
    const stored = await vscode.commands.executeCommand<{ stored: boolean }>(COMMANDS.setHarnessApiKey, { apiKey: KEY });
    assert.deepStrictEqual(stored, { stored: true });
    await refreshTree();
    const east = await member('east');
    const west = await member('west');
    assert.strictEqual(east.contextValue, 'agent.member.primary');
    assert.strictEqual(west.contextValue, 'agent.member.secondary');
    assert.match(east.description!, /· primary ·/);
    assert.match(east.tooltip!, /PRIMARY \(Harness: connected, healthy\)/);
    assert.ok(fake.requests.some((r) => r.hadKey && r.query.identifier === 'dragent' && r.query.includeSecondary === 'true'));
  });

  test('sync-window commands on a member: block, show, allow', async function () {
    this.timeout(60_000);
    const target = { context: 'east', namespace: NS, confirm: false };
    const blocked = await vscode.commands.executeCommand<SyncWindowsResult>(COMMANDS.blockSyncs, target);
    assert.strictEqual(blocked.ok, true);
    assert.ok(blocked.projects.length >= 4 && blocked.projects.every((p) => p.action === 'added'));
    // The member was probed again when the block ended: the tree shows the fence without a refresh.
    const fenced = await member('east');
    assert.match(fenced.description!, /· fenced ·/, fenced.description);
    assert.strictEqual(fenced.icon?.id, 'lock');
    assert.match(fenced.tooltip!, /Syncs: \*\*fenced\*\*: every AppProject \(\d+\) denies syncs now/);
    const shown = await vscode.commands.executeCommand<ProjectWindows[]>(COMMANDS.showSyncWindows, { ...(await member('east')), confirm: false });
    assert.ok(shown.every((p) => p.state === 'blocked' && p.windows.some((w) => w.ours && w.active)));
    const allowed = await vscode.commands.executeCommand<SyncWindowsResult>(COMMANDS.allowSyncs, target);
    assert.ok(allowed.projects.every((p) => p.action === 'removed'));
    const open = await member('east');
    assert.doesNotMatch(open.description!, /· fenced ·/, 'the fence is gone from the tree when the allow ends');
    assert.notStrictEqual(open.icon?.id, 'lock');
    assert.deepStrictEqual(await diffState(await (await services()).kube.client('east'), initial.get('east')!), []);
  });

  test('a refresh of the tree in the middle of a block and an allow of syncs does not disturb them', async function () {
    this.timeout(60_000);
    const api = await services();
    const target = { context: 'east', namespace: NS, confirm: false };
    const recorder = recordOperationWrites(api);
    let storm = refreshStorm(api, 5);
    try {
      const blocked = await vscode.commands.executeCommand<SyncWindowsResult>(COMMANDS.blockSyncs, target);
      const during = await storm.stop();
      assert.strictEqual(blocked.ok, true, describeOutcomes(blocked));
      assert.ok(blocked.projects.every((p) => p.action === 'added'));
      storm = refreshStorm(api, 5);
      const allowed = await vscode.commands.executeCommand<SyncWindowsResult>(COMMANDS.allowSyncs, target);
      const duringAllow = await storm.stop();
      assert.strictEqual(allowed.ok, true, describeOutcomes(allowed));
      assert.ok(allowed.projects.every((p) => p.action === 'removed'));
      assert.ok(during >= 1 && duringAllow >= 1, `refreshed during both (${during}, ${duringAllow})`);
      assert.strictEqual(recorder.writes.size, blocked.projects.length, 'block and allow ran on their own clients, one patch per AppProject each');
      assert.ok([...recorder.writes.values()].every((n) => n === 2), `each AppProject patched once by block and once by allow: ${[...recorder.writes].join(', ')}`);
      assert.deepStrictEqual(await diffState(await api.kube.client('east'), initial.get('east')!), []);
    } finally {
      await storm.stop();
      recorder.restore();
    }
  });

  test('fail over east -> west: each step succeeds, Harness and the tree show west as primary', async function () {
    this.timeout(240_000);
    const api = await services();
    const report = await vscode.commands.executeCommand<FailoverReport>(COMMANDS.failover, { agent: { context: 'west', namespace: NS }, yes: true });
    assert.strictEqual(report.outcome, 'completed', JSON.stringify(report, null, 1));
    assert.deepStrictEqual(report.steps.map((s) => [s.id, s.status]), [
      ['block-old', 'ok'],
      ['restore', 'ok'],
      ['switch-primary', 'ok'],
      ['allow-new', 'ok'],
      ['verify', 'ok'],
    ]);
    assert.match(report.steps[1]!.summary, /^\d+ created/);
    assert.strictEqual(fake.node('dragent', 'west')!.type, 'PRIMARY');
    assert.strictEqual(fake.node('dragent', 'east')!.syncAllowed, false);
    const eastWindows = await listSyncWindows(await api.kube.client('east'), NS);
    assert.ok(eastWindows.every((p) => p.state === 'blocked'), 'east is blocked by our deny window');
    const westApps = (await (await api.kube.client('west')).listAll(APPLICATION, undefined)).length;
    assert.ok(westApps >= 40, `west holds the Applications (${westApps})`);
    // Both members were probed again when the failover ended: east shows its fence, west its Applications.
    assert.match((await member('east')).description!, /· fenced ·/);
    const westShown = Number(/· (\d+) apps$/.exec((await member('west')).description!)?.[1]);
    assert.ok(westShown >= 40, `the tree shows west's new count (${westShown}) without a refresh`);

    await refreshTree();
    const west = await member('west');
    const east = await member('east');
    assert.strictEqual(west.contextValue, 'agent.member.primary');
    assert.strictEqual(east.contextValue, 'agent.member.secondary');
    assert.match(west.description!, /· primary · \d+ apps$/);
  });

  test('fail back from the tree node of east', async function () {
    this.timeout(240_000);
    const node = await member('east');
    const report = await vscode.commands.executeCommand<FailoverReport>(COMMANDS.failover, { ...node, yes: true });
    assert.strictEqual(report.outcome, 'completed', JSON.stringify(report, null, 1));
    assert.strictEqual(report.preflight.from?.id, 'west/argocd');
    assert.strictEqual(fake.node('dragent', 'east')!.type, 'PRIMARY');
    await refreshTree();
    assert.strictEqual((await member('east')).contextValue, 'agent.member.primary');
  });
});
