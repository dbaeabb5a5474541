import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { OUR_WINDOWS_ANNOTATION, isOurWindow, ourDenyWindow, recordedWindows, withOurDenyWindow, withoutOurWindows, type AppProject, type SyncWindow } from '../../../src/core/syncWindows/model';
import { describeWindow, evaluateProject } from '../../../src/core/syncWindows/evaluate';

const theirs: SyncWindow = { kind: 'allow', schedule: '0 8 * * *', duration: '10h', applications: ['prod-*'], manualSync: true };

function project(windows: SyncWindow[], annotations?: Record<string, string>): AppProject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team-a', ...(annotations ? { annotations } : {}) }, spec: { syncWindows: windows } };
}

function apply(p: AppProject, change: { syncWindows: SyncWindow[]; annotation: string | null } | undefined): AppProject {
  if (!change) return p;
  const annotations = { ...(p.metadata?.annotations ?? {}) };
  if (change.annotation === null) delete annotations[OUR_WINDOWS_ANNOTATION];
  else annotations[OUR_WINDOWS_ANNOTATION] = change.annotation;
  return { ...p, metadata: { ...p.metadata, annotations }, spec: { ...p.spec, syncWindows: change.syncWindows } };
}

describe('our deny window', () => {
  test('has the documented shape: deny, every minute, 24h, all applications, no manual sync', () => {
    const w = ourDenyWindow();
    assert.deepEqual({ ...w, description: undefined }, { kind: 'deny', schedule: '* * * * *', duration: '24h', applications: ['*'], manualSync: false, description: undefined });
    assert.match(w.description!, /^gitops-dr: /);
  });

  test('adding is idempotent and keeps the windows of others', () => {
    const p1 = apply(project([theirs]), withOurDenyWindow(project([theirs])));
    assert.equal(p1.spec!.syncWindows!.length, 2);
    assert.deepEqual(p1.spec!.syncWindows![0], theirs);
    assert.equal(withOurDenyWindow(p1), undefined, 'a second block changes nothing');
    assert.equal(recordedWindows(p1).length, 1);
  });

  test('removing takes only ours, and the annotation, even when the CRD pruned the description', () => {
    const blocked = apply(project([theirs]), withOurDenyWindow(project([theirs])));
    // An older Argo CD CRD without `description` prunes it: the annotation still identifies the window.
    const pruned: AppProject = { ...blocked, spec: { syncWindows: blocked.spec!.syncWindows!.map(({ description: _d, ...w }) => w) } };
    const change = withoutOurWindows(pruned);
    assert.ok(change);
    assert.equal(change.removed, 1);
    assert.deepEqual(change.syncWindows, [theirs]);
    assert.equal(change.annotation, null);
    assert.equal(withoutOurWindows(project([theirs])), undefined, 'nothing of ours: no change');
  });

  test('a look-alike deny window written by someone else is not ours', () => {
    const { description: _d, ...lookAlike } = ourDenyWindow();
    assert.equal(isOurWindow(lookAlike, []), false);
    assert.equal(withoutOurWindows(project([lookAlike])), undefined);
  });

  test('a broken annotation is ignored, the description still decides', () => {
    const p = project([ourDenyWindow(), theirs], { [OUR_WINDOWS_ANNOTATION]: '{not json' });
    assert.deepEqual(recordedWindows(p), []);
    assert.deepEqual(withoutOurWindows(p)!.syncWindows, [theirs]);
  });
});

describe('windows in force', () => {
  const noon = new Date('2025-05-05T12:00:00Z');
  test('our window blocks the whole project, manual syncs included', () => {
    const e = evaluateProject(project([ourDenyWindow()]), noon);
    assert.equal(e.state, 'blocked');
    assert.equal(e.manualSyncAllowed, false);
    assert.equal(e.windows[0]!.ours, true);
    assert.match(describeWindow(e.windows[0]!), /^deny "\* \* \* \* \*" for 24h \[applications \*\]: in force now, added by gitops-dr$/);
  });
  test('no windows: allowed; an allow window for some apps, outside its hours: partly', () => {
    assert.equal(evaluateProject(project([]), noon).state, 'allowed');
    const e = evaluateProject(project([{ ...theirs, schedule: '0 20 * * *', duration: '1h' }]), noon);
    assert.equal(e.state, 'partly');
    assert.equal(e.windows[0]!.active, false);
  });
  test('an allow-all window outside its hours blocks; inside allows', () => {
    const allowAll: SyncWindow = { kind: 'allow', schedule: '0 20 * * *', duration: '1h', applications: ['*'] };
    assert.equal(evaluateProject(project([allowAll]), noon).state, 'blocked');
    assert.equal(evaluateProject(project([allowAll]), new Date('2025-05-05T20:30:00Z')).state, 'allowed');
  });
  test('a deny window for some applications: partly', () => {
    assert.equal(evaluateProject(project([{ kind: 'deny', schedule: '* * * * *', duration: '1h', applications: ['db-*'] }]), noon).state, 'partly');
  });
});
