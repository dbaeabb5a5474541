import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareWithLive } from '../../../src/core/compare/compare';
import { exportedForm, readLiveSource } from '../../../src/core/compare/liveSource';
import { applyRestore } from '../../../src/core/restore/apply';
import { RestoreRefusedError } from '../../../src/core/restore/input';
import { FakeKubeApi } from '../../support/fakeKubeApi';
import { NS, app, cmdParams, demoBackup, parsedOf, withNamespace } from './fixtures';

test('a live object is cut down like argocd admin export: name, labels, annotations, finalizers; namespace only when foreign', () => {
  const live = { ...withNamespace(app('g', { finalizers: ['f'] }), NS), status: { sync: { status: 'Synced' } } };
  live.metadata = { ...live.metadata, uid: 'u', resourceVersion: '5', creationTimestamp: 'x', managedFields: [], labels: { a: 'b' } } as never;
  const out = exportedForm(live, NS);
  assert.deepEqual(out.metadata, { name: 'g', labels: { a: 'b' }, finalizers: ['f'] });
  assert.deepEqual(out.status, { sync: { status: 'Synced' } });
  assert.equal(exportedForm(app('x', { namespace: 'team-a' }), NS).metadata!.namespace, 'team-a');
});

test('compare a live primary with a live secondary: drift first, none after a restore; nothing is written by compare', async () => {
  const primary = await FakeKubeApi.start();
  const secondary = await FakeKubeApi.start();
  const p = await primary.client();
  const s = await secondary.client();
  try {
    primary.put(cmdParams());
    secondary.put(cmdParams());
    for (const o of demoBackup()) primary.put(withNamespace(o, NS));
    primary.put(withNamespace({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gitops-agent' }, data: { GITOPS_AGENT_IDENTIFIER: 'x' } }, NS));
    const source = await readLiveSource(p, NS);
    assert.equal(source.objects.length, demoBackup().length, 'the agent ConfigMap and argocd-cmd-params-cm are not part of it');
    assert.deepEqual(source.objects.map((o) => o.object.kind), ['ConfigMap', 'ConfigMap', 'ConfigMap', 'ConfigMap', 'Secret', 'Secret', 'Secret', 'AppProject', 'Application', 'Application', 'ApplicationSet']);

    const drift = await compareWithLive({ kind: 'live', client: p, namespace: NS }, s);
    assert.equal(drift.counts.create, demoBackup().length);
    assert.equal(drift.options.stopOperation, false, 'a comparison does not decide to clear operations');
    assert.equal(secondary.writes().length, 0);
    await applyRestore(s, drift);
    const after = await compareWithLive({ kind: 'live', client: p, namespace: NS }, s);
    assert.equal(after.counts.unchanged, demoBackup().length);
    await assert.rejects(compareWithLive({ kind: 'backup', input: parsedOf([]), label: 'empty' }, s, { namespace: NS }), RestoreRefusedError);
  } finally {
    p.close();
    s.close();
    await primary.stop();
    await secondary.stop();
  }
});
