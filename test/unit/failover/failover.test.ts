import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { executeFailover, prepareFailover } from '../../../src/core/failover/failover';
import { FailoverError } from '../../../src/core/failover/model';
import { formatPreflight, formatReport, formatStepPlan } from '../../../src/core/failover/format';
import { World, agent, snapshotOf } from './world';

const east = agent('east', 'east', 40);
const west = agent('west', 'west', 0);

async function prepare(world: World, request: { agent?: string; to?: string; member?: string; from?: string }, withHarness = true, snapshot = snapshotOf(east, west)) {
  return prepareFailover(snapshot, request, (resolved) => world.ports(snapshot, resolved.from, withHarness), withHarness ? { harness: world.harnessPort() } : {});
}

describe('failover orchestration (in-memory clusters and Harness)', () => {
  test('east -> west with a Harness key: every step runs, in order, and the world ends switched', async () => {
    const world = new World();
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    assert.equal(prepared.preflight.report.ok, true, formatPreflight(prepared.preflight.report));
    assert.equal(prepared.resolved.from?.id, 'east/argocd');
    assert.equal(prepared.resolved.fromSource, 'harness');
    assert.deepEqual(prepared.preflight.report.drift, { create: 42, update: 0, unchanged: 0, prune: 0, skip: 0, error: 0 });
    assert.match(formatStepPlan(prepared.steps), /1\. Block syncs on the current primary east\/argocd\n.*Harness: set sync-allowed = false for DR node east/);

    const asked: string[] = [];
    const report = await executeFailover(prepared, { confirm: async (s) => (asked.push(s.id), 'run') });
    assert.deepEqual(asked, ['block-old', 'restore', 'switch-primary', 'allow-new', 'verify']);
    assert.equal(report.outcome, 'completed', formatReport(report));
    assert.deepEqual(report.steps.map((s) => s.status), ['ok', 'ok', 'ok', 'ok', 'ok']);
    assert.equal(world.harness.get('west')!.role, 'PRIMARY');
    assert.equal(world.harness.get('east')!.role, 'SECONDARY');
    assert.equal(world.harness.get('west')!.syncAllowed, true);
    assert.equal(world.harness.get('east')!.syncAllowed, false);
    assert.equal(world.clusters.get('west')!.apps.length, 40);
    const eastStates = world.clusters.get('east')!.projects.map((p) => p.spec!.syncWindows?.length);
    assert.deepEqual(eastStates, [1, 1], 'our deny window on every AppProject of east');
    assert.deepEqual(world.clusters.get('west')!.projects.map((p) => p.spec!.syncWindows ?? []), [[], []], 'the windows copied with the backup were removed on west');
    const order = world.calls.filter((c) => !c.startsWith('harness.nodes') && c !== 'restore.plan' && !c.startsWith('apps.refresh.'));
    // The Applications are read while west is still denied, and asked to refresh once it is allowed.
    assert.deepEqual(order, ['harness.setSyncAllowed.east.false', 'windows.block.east', 'restore.apply', 'harness.setPrimary.west', 'apps.list.west', 'harness.setSyncAllowed.west.true', 'windows.allow.west']);
    assert.ok(world.calls.lastIndexOf('windows.allow.west') < world.calls.indexOf('apps.refresh.app-0'), 'refresh after the windows are gone');
    assert.equal(world.clusters.get('west')!.refreshed?.length, 40);
    assert.deepEqual(report.applications, { member: 'west/argocd', total: 40, heldBack: [], refreshed: 40, refreshFailed: [] });
  });

  test('after the failover: the Applications held back while denied are listed, every one asked to refresh; the pre-flight names in-cluster destinations', async () => {
    const world = new World();
    const eastCluster = world.clusters.get('east')!;
    eastCluster.appState = new Map([
      ['app-3', { sync: 'OutOfSync' }],
      ['app-7', { sync: 'OutOfSync', phase: 'Running', operation: true }],
      ['app-9', { sync: 'Synced', destination: { server: 'https://kubernetes.default.svc/', namespace: 'x' } }],
      ['app-11', { sync: 'Synced', destination: { name: 'in-cluster', namespace: 'x' } }],
      ['app-12', { sync: 'Synced', destination: { server: 'https://kubernetes.default.svc.cluster.local', namespace: 'x' } }],
    ]);
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    const inCluster = prepared.preflight.report.checks.find((c) => c.id === 'in-cluster')!;
    assert.equal(inCluster.status, 'warn');
    assert.match(inCluster.detail, /^2 of the backup's Applications deploy to the in-cluster server \(https:\/\/kubernetes\.default\.svc or in-cluster\): after the failover they deploy into west's own cluster, not into east's: argocd\/app-11, argocd\/app-9$/);
    assert.equal(prepared.preflight.report.ok, true, 'a warning, not a refusal');
    assert.match(prepared.steps[3]!.description, /ask every Application of west\/argocd to refresh \(argocd\.argoproj\.io\/refresh: normal\)/);

    const report = await executeFailover(prepared);
    assert.equal(report.outcome, 'completed', formatReport(report));
    const allow = report.steps[3]!;
    assert.equal(allow.status, 'ok');
    assert.equal(allow.summary, 'syncs of west/argocd allowed; 40 Applications asked to refresh');
    assert.match(allow.details.join('\n'), /2 were OutOfSync or had an operation pending while syncs were denied: argocd\/app-3, argocd\/app-7/);
    // The restore stopped app-7's operation (stop-operation), its unfinished phase remains: both reasons are listed.
    assert.deepEqual(report.applications?.heldBack, [
      { namespace: 'argocd', name: 'app-3', syncStatus: 'OutOfSync' },
      { namespace: 'argocd', name: 'app-7', syncStatus: 'OutOfSync', operation: 'Running', message: 'waiting' },
    ]);
    assert.match(formatReport(report), /Applications of west\/argocd: 40 of 40 asked to refresh\n {2}OutOfSync or with an operation pending while syncs were denied \(2\):\n {4}argocd\/app-3: OutOfSync\n {4}argocd\/app-7: OutOfSync; operation Running \(waiting\)\nFailover completed\./);
    assert.deepEqual([...world.clusters.get('west')!.refreshed!].sort(), [...eastCluster.apps].sort());
  });

  test('a refresh that fails, or Applications that cannot be read, warn; syncs are allowed all the same', async () => {
    const world = new World();
    world.failOn.add('apps.refresh.app-5');
    let report = await executeFailover(await prepare(world, { agent: 'gitopsagent', to: 'west' }));
    assert.equal(report.outcome, 'completed', formatReport(report));
    assert.equal(report.steps[3]!.status, 'warn');
    assert.deepEqual(report.applications?.refreshFailed, [{ namespace: 'argocd', name: 'app-5', reason: 'injected failure in apps.refresh.app-5' }]);
    assert.equal(report.applications?.refreshed, 39);
    assert.match(formatReport(report), /39 of 40 asked to refresh; not asked: argocd\/app-5 \(injected failure in apps\.refresh\.app-5\)/);

    const world2 = new World();
    world2.failOn.add('apps.list.west');
    report = await executeFailover(await prepare(world2, { agent: 'gitopsagent', to: 'west' }));
    assert.equal(report.outcome, 'completed', formatReport(report));
    assert.equal(report.steps[3]!.status, 'warn');
    assert.equal(world2.harness.get('west')!.syncAllowed, true);
    assert.match(report.steps[3]!.details.join('\n'), /cannot read the Applications of west\/argocd \(.*injected failure in apps\.list\.west.*\): none asked to refresh/);
    assert.equal(report.applications?.readError !== undefined, true);
  });

  test('Applications in namespaces the target lacks: the pre-flight warns, the restore step creates them first', async () => {
    const world = new World();
    world.clusters.get('east')!.apps.push('team-alpha/a1', 'team-alpha/a2', 'team-beta/b1');
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    const drift = prepared.preflight.report.checks.find((c) => c.id === 'drift')!;
    assert.equal(drift.status, 'warn', drift.detail);
    assert.match(drift.detail, /the restore step first creates namespaces team-alpha, team-beta on west \(3 objects of the backup live there\)/);
    assert.match(prepared.steps[1]!.description, /First creates the namespaces team-alpha, team-beta on west/);
    const report = await executeFailover(prepared);
    assert.equal(report.outcome, 'completed', formatReport(report));
    assert.match(report.steps[1]!.details.join('\n'), /created namespaces team-alpha, team-beta on west/);
    assert.ok(world.clusters.get('west')!.apps.includes('team-beta/b1'));
  });

  test('other plan errors still fail the pre-flight, listed by object', async () => {
    const world = new World();
    world.clusters.get('east')!.apps.push('team-alpha/a1');
    const snapshot = snapshotOf(east, west);
    const prepared = await prepareFailover(snapshot, { agent: 'gitopsagent', to: 'west' }, (r) => {
      const ports = world.ports(snapshot, r.from, true);
      const restore = ports.restore!;
      // The namespace exists but the object is refused for another reason.
      return { ...ports, restore: { ...restore, missingNamespaces: async () => [] } };
    }, { harness: world.harnessPort() });
    const drift = prepared.preflight.report.checks.find((c) => c.id === 'drift')!;
    assert.equal(drift.status, 'fail');
    assert.match(drift.detail, /error: Application team-alpha\/a1: namespace team-alpha does not exist/);
  });

  test('fail back is the same call towards the other member', async () => {
    const world = new World();
    await executeFailover(await prepare(world, { agent: 'gitopsagent', to: 'west' }));
    const back = await prepare(world, { member: 'east/argocd' });
    assert.equal(back.resolved.from?.id, 'west/argocd', 'Harness now says west is primary');
    const report = await executeFailover(back);
    assert.equal(report.outcome, 'completed', formatReport(report));
    assert.equal(world.harness.get('east')!.role, 'PRIMARY');
    assert.deepEqual(world.clusters.get('east')!.projects.map((p) => p.spec!.syncWindows ?? []), [[], []]);
    assert.ok(world.clusters.get('west')!.projects.every((p) => (p.spec!.syncWindows ?? []).length === 1));
  });

  test('without a key the switch is a manual step with the seed instructions; the cluster steps still run', async () => {
    const world = new World();
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' }, false);
    const harnessCheck = prepared.preflight.report.checks.find((c) => c.id === 'harness')!;
    assert.equal(harnessCheck.status, 'warn');
    assert.match(harnessCheck.detail, /no Harness API key.*east\/argocd is taken to be the current primary/);
    const report = await executeFailover(prepared);
    assert.equal(report.outcome, 'completedWithManualStep', formatReport(report));
    const sw = report.steps.find((s) => s.id === 'switch-primary')!;
    assert.equal(sw.status, 'manual');
    assert.match(sw.details.join('\n'), /open the details page of the primary agent gitopsagent/);
    assert.match(sw.details.join('\n'), /select "west" and save/);
    assert.match(report.next.join('\n'), /manual: switch the primary to west in Harness by hand/);
    assert.equal(world.clusters.get('west')!.apps.length, 40);
    assert.equal(world.harness.get('east')!.role, 'PRIMARY', 'Harness untouched');
    assert.ok(!world.calls.some((c) => c.startsWith('harness.')));
  });

  test('without a key, failing over to the member that holds the entities is flagged', async () => {
    const world = new World();
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'east' }, false);
    assert.match(prepared.preflight.report.checks.find((c) => c.id === 'harness')!.detail, /east\/argocd holds 40 Applications and west\/argocd none: east\/argocd may already be the active member/);
  });

  test('a failing step stops the run and says how to continue or undo', async () => {
    const world = new World();
    world.failOn.add('restore.apply');
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    const report = await executeFailover(prepared, { howToContinue: (id) => `gitops-dr failover --agent gitopsagent --to west --from-step ${id}` });
    assert.equal(report.outcome, 'failed');
    assert.deepEqual(report.steps.map((s) => s.status), ['ok', 'failed', 'notRun', 'notRun', 'notRun']);
    assert.match(report.steps[1]!.summary, /injected failure in restore.apply/);
    assert.match(report.next.join('\n'), /--from-step restore/);
    assert.match(report.next.join('\n'), /undo "Block syncs on the current primary east\/argocd": gitops-dr sync-windows allow --context east -n argocd; and in Harness, allow syncs of DR node east again/);
    assert.equal(world.harness.get('east')!.role, 'PRIMARY', 'no switch after the failure');

    world.failOn.clear();
    const again = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    const resumed = await executeFailover(again, { startAt: 'restore' });
    assert.equal(resumed.outcome, 'completed', formatReport(resumed));
    assert.equal(resumed.steps[0]!.status, 'skipped');
  });

  test('stopping at a confirmation leaves the rest undone and names the step to continue from', async () => {
    const world = new World();
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    const report = await executeFailover(prepared, { confirm: async (s) => (s.id === 'switch-primary' ? 'stop' : 'run') });
    assert.equal(report.outcome, 'stopped');
    assert.deepEqual(report.steps.map((s) => s.status), ['ok', 'ok', 'notRun', 'notRun', 'notRun']);
    assert.match(report.next[0]!, /stopped before "Make west the primary of agent gitopsagent": to continue, run the failover again starting at step "switch-primary"/);
  });

  test('the pre-flight refuses when the target does not answer; nothing changes', async () => {
    const world = new World();
    world.clusters.get('west')!.reachable = false;
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    assert.equal(prepared.preflight.report.ok, false);
    assert.match(formatPreflight(prepared.preflight.report), /\[FAIL\] Target reachable: west\/argocd does not answer: refused/);
    const report = await executeFailover(prepared);
    assert.equal(report.outcome, 'refused');
    assert.ok(report.steps.every((s) => s.status === 'notRun'));
    assert.ok(!world.calls.some((c) => c.includes('set') || c.includes('block') || c.includes('apply')));
  });

  test('the pre-flight refuses a target that is already primary, and a target agent that is not ready', async () => {
    const world = new World();
    world.harness.get('west')!.role = 'PRIMARY';
    world.harness.get('east')!.role = 'SECONDARY';
    const p1 = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    assert.match(p1.preflight.report.checks.find((c) => c.id === 'harness')!.detail, /west is already the primary/);
    const w2 = new World();
    w2.clusters.get('west')!.agentReady = 0;
    const p2 = await prepare(w2, { agent: 'gitopsagent', to: 'west' });
    const ready = p2.preflight.report.checks.find((c) => c.id === 'target-ready')!;
    assert.equal(ready.status, 'fail');
    assert.match(ready.detail, /0\/1 ready replicas.*Scale it up/);
  });

  test('an unreachable old primary: warned, and without a backup file the pre-flight fails on the backup', async () => {
    const world = new World();
    world.clusters.get('east')!.reachable = false;
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    const checks = Object.fromEntries(prepared.preflight.report.checks.map((c) => [c.id, c]));
    assert.equal(checks['current-primary']!.status, 'warn');
    assert.match(checks['current-primary']!.detail, /gitops-dr sync-windows block --context east -n argocd/);
    assert.equal(checks['backup']!.status, 'fail');
    assert.match(checks['backup']!.detail, /--backup FILE/);
  });

  test('a Harness error in the pre-flight fails the Harness check with the reason', async () => {
    const world = new World();
    world.failOn.add('harness.nodes');
    const prepared = await prepare(world, { agent: 'gitopsagent', to: 'west' });
    const h = prepared.preflight.report.checks.find((c) => c.id === 'harness')!;
    assert.equal(h.status, 'fail');
    assert.match(h.detail, /cannot read agent gitopsagent from Harness: injected failure/);
  });

  test('requests that match nothing say what exists', async () => {
    const world = new World();
    await assert.rejects(prepare(world, { agent: 'nope', to: 'west' }), (e: unknown) => e instanceof FailoverError && /no agent with identifier nope.*found: gitopsagent/.test(e.message));
    await assert.rejects(prepare(world, { agent: 'gitopsagent', to: 'north' }), /no member with DR identifier north; its members: east\/argocd \[east\], west\/argocd \[west\]/);
    await assert.rejects(prepare(world, { agent: 'gitopsagent' }), /--to/);
    await assert.rejects(prepare(world, { member: 'lab/tools' }), /no agent found at lab\/tools/);
  });
});
