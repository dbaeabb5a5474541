import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fenceOf, namespaceFence, withTargetFence } from '../../../src/core/syncWindows/fence';
import { withOurDenyWindow, type AppProject, type SyncWindow } from '../../../src/core/syncWindows/model';
import { planEntryFor } from '../../../src/core/restore/plan';
import type { EffectiveRestoreOptions } from '../../../src/core/restore/types';

const NS = 'argocd';
const opts = (keepTargetFence: boolean): EffectiveRestoreOptions => ({ namespace: NS, applicationNamespaces: [], applicationSetNamespaces: [], stopOperation: true, ignoreTracking: false, overrideOnConflict: false, keepTargetFence });
const officeHours: SyncWindow = { kind: 'allow', schedule: '0 6 * * 1-5', duration: '10h', applications: ['payments-*'], manualSync: true };
const harnessFence: SyncWindow = { kind: 'deny', schedule: '*/5 * * * *', duration: '1h', applications: ['*'], namespaces: ['*'], clusters: ['*'], manualSync: true };
const marked: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '8h', applications: ['billing'], description: 'dr-fence: night freeze on the secondary' };
const theirsDeny: SyncWindow = { kind: 'deny', schedule: '0 0 1 * *', duration: '1h', applications: ['reports'] };

function projectWith(windows: SyncWindow[], annotations?: Record<string, string>): AppProject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team-a', namespace: NS, resourceVersion: '7', ...(annotations ? { annotations } : {}) }, spec: { sourceRepos: ['*'], syncWindows: windows } };
}

/** The secondary: the primary's windows, plus gitops-dr's block, a Harness-style deny-all and a marked window. */
function fencedLive(): AppProject {
  const base = projectWith([officeHours, theirsDeny, harnessFence, marked]);
  const change = withOurDenyWindow(base)!;
  return projectWith(change.syncWindows, { 'gitops-agent-dr/added-sync-windows': change.annotation! });
}

test('fence: gitops-dr, marked and deny-all windows are the fence; an ordinary deny window is not', () => {
  const kinds = fenceOf(fencedLive()).map((f) => f.kind);
  assert.deepEqual(kinds, ['deny-all', 'marked', 'gitops-dr']);
});

test('fence: a restore of the primary project into the fenced secondary keeps the fence and plans no update', () => {
  const backup = projectWith([officeHours, theirsDeny]);
  delete backup.metadata!.resourceVersion;
  const live = fencedLive();
  const entry = planEntryFor(backup, live, opts(true));
  assert.equal(entry.action, 'unchanged', entry.reason);
  assert.equal(entry.fence?.kept, true);
  assert.equal(entry.fence?.windows.length, 3);
  assert.match(entry.reason ?? '', /fence is kept: 3 deny windows/);
});

test('fence: a real change to the project is an update that keeps the fence and the annotation', () => {
  const backup = projectWith([officeHours]); // the primary dropped theirsDeny and changed sourceRepos
  backup.spec!.sourceRepos = ['https://github.com/example/*'];
  const live = fencedLive();
  const entry = planEntryFor(backup, live, opts(true));
  assert.equal(entry.action, 'update');
  const windows = (entry.desired as AppProject).spec!.syncWindows!;
  assert.deepEqual(windows.map((w) => w.schedule), ['0 6 * * 1-5', '*/5 * * * *', '0 22 * * *', '* * * * *']);
  assert.equal(entry.desired!.metadata!.annotations!['gitops-agent-dr/added-sync-windows'], live.metadata!.annotations!['gitops-agent-dr/added-sync-windows']);
  assert.ok(entry.diff!.some((c) => c.path.startsWith('spec.sourceRepos')), JSON.stringify(entry.diff));
  assert.ok(!entry.diff!.some((c) => c.path.startsWith('metadata.annotations')), 'the annotation is not removed');
});

test('fence: drop-fence restores the backup windows alone and says it drops the fence', () => {
  const backup = projectWith([officeHours, theirsDeny]);
  const entry = planEntryFor(backup, fencedLive(), opts(false));
  assert.equal(entry.action, 'update');
  assert.deepEqual((entry.desired as AppProject).spec!.syncWindows, [officeHours, theirsDeny]);
  assert.equal(entry.fence?.kept, false);
  assert.match(entry.reason ?? '', /DROPS the target's fence: 3 deny windows/);
});

test('fence: windows the backup holds already are not doubled', () => {
  const live = fencedLive();
  const backup = projectWith(live.spec!.syncWindows!, live.metadata!.annotations);
  const { project, kept } = withTargetFence(backup, live);
  assert.deepEqual(kept, []);
  assert.equal(project, backup);
});

test('fence: an AppProject the restore creates on a fenced target gets the fence too', () => {
  const fence = namespaceFence([fencedLive(), projectWith([officeHours])]);
  const backup = projectWith([officeHours]);
  backup.metadata!.name = 'payments';
  const created = planEntryFor(backup, undefined, opts(true), undefined, undefined, fence);
  assert.equal(created.action, 'create');
  assert.deepEqual(fenceOf(created.desired as AppProject).map((f) => f.kind), ['deny-all', 'marked', 'gitops-dr']);
  assert.ok(created.desired!.metadata!.annotations!['gitops-agent-dr/added-sync-windows']);
  assert.match(created.reason ?? '', /the target is fenced: created with its 3 deny windows/);
  // Drop-fence, or a target without a fence: created as in the backup.
  assert.equal(planEntryFor(backup, undefined, opts(false), undefined, undefined, fence).fence, undefined);
  assert.equal(namespaceFence([projectWith([officeHours])]), undefined);
});
