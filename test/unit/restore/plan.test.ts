import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { planEntryFor, pruneEntriesFor } from '../../../src/core/restore/plan';
import { planRestore } from '../../../src/core/restore/gate';
import { RestoreRefusedError } from '../../../src/core/restore/input';
import { planReport } from '../../../src/core/restore/report';
import { formatPlanText } from '../../../src/core/restore/format';
import type { EffectiveRestoreOptions } from '../../../src/core/restore/types';
import { FakeKubeApi } from '../../support/fakeKubeApi';
import { NS, app, appSet, cm, cmdParams, demoBackup, parsedOf, project, secret, withNamespace } from './fixtures';

const opts = (o: Partial<EffectiveRestoreOptions> = {}): EffectiveRestoreOptions => ({
  namespace: NS,
  applicationNamespaces: ['team-*'],
  applicationSetNamespaces: [],
  stopOperation: true,
  ignoreTracking: false,
  overrideOnConflict: false,
  keepTargetFence: true,
  ...o,
});

test('not live: create, with metadata cut to what a backup carries and the operation removed', () => {
  const backup = withNamespace(app('g', { operation: { sync: { revision: 'abc' } } }), NS);
  backup.metadata = { ...backup.metadata, uid: 'from-east', resourceVersion: '99', ownerReferences: [{ uid: 'x' }] } as never;
  const e = planEntryFor(backup, undefined, opts());
  assert.equal(e.action, 'create');
  assert.deepEqual(Object.keys(e.desired!.metadata!).sort(), ['name', 'namespace']);
  assert.equal(e.desired!.operation, undefined);
  const keep = planEntryFor(backup, undefined, opts({ stopOperation: false }));
  assert.deepEqual(keep.desired!.operation, { sync: { revision: 'abc' } });
});

test('equal: unchanged; different: update with a diff; live operation with stop operation: update that clears it', () => {
  const backup = withNamespace(app('g'), NS);
  assert.equal(planEntryFor(backup, withNamespace(app('g'), NS), opts()).action, 'unchanged');
  const upd = planEntryFor(backup, withNamespace(app('g', { revision: 'old' }), NS), opts());
  assert.equal(upd.action, 'update');
  assert.deepEqual(upd.diff, [{ path: 'spec.source.targetRevision', before: 'old', after: 'main' }]);
  const inFlight = withNamespace(app('g', { operation: { sync: {} } }), NS);
  const stop = planEntryFor(backup, inFlight, opts());
  assert.equal(stop.action, 'update');
  assert.match(stop.reason!, /clears the in-flight operation/);
  assert.equal(stop.desired!.operation, undefined);
  assert.equal(planEntryFor(backup, inFlight, opts({ stopOperation: false })).action, 'unchanged');
});

test('equal ApplicationSets are unchanged', () => {
  const e = planEntryFor(withNamespace(appSet('s'), NS), withNamespace(appSet('s', { conditions: [] }), NS), opts());
  assert.equal(e.action, 'unchanged');
});

test('skips: Harness agent objects, the skip label, app namespaces not enabled, Argo objects outside the target namespace', () => {
  const agent = withNamespace({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gitops-agent' }, data: { GITOPS_AGENT_TOKEN: 'eA==' } }, NS);
  assert.match(planEntryFor(agent, undefined, opts()).reason!, /Harness agent object: never restored/);
  const labelled = withNamespace(cm('argocd-cm'), NS);
  labelled.metadata!.labels = { 'dr/skip': 'true' };
  const s = planEntryFor(labelled, undefined, opts({ skipResourcesWithLabel: 'dr/skip=true' }));
  assert.equal(s.action, 'skip');
  assert.match(s.reason!, /dr\/skip=true/);
  const other = planEntryFor(app('x', { namespace: 'payments' }), undefined, opts());
  assert.equal(other.action, 'skip');
  assert.match(other.reason!, /namespace payments is not enabled/);
  assert.equal(planEntryFor(app('x', { namespace: 'team-b' }), undefined, opts()).action, 'create');
  const cmElsewhere = planEntryFor({ ...cm('argocd-cm'), metadata: { name: 'argocd-cm', namespace: 'other' } }, undefined, opts());
  assert.equal(cmElsewhere.action, 'skip');
  assert.match(cmElsewhere.reason!, /only into the target namespace argocd/);
});

test('ignore tracking keeps the live tracking annotation and instance label', () => {
  const backup = withNamespace(app('g'), NS);
  backup.metadata!.annotations = { 'argocd.argoproj.io/tracking-id': 'east:argoproj.io/Application:argocd/g' };
  backup.metadata!.labels = { 'app.kubernetes.io/instance': 'east-argocd' };
  const live = withNamespace(app('g'), NS);
  live.metadata!.annotations = { 'argocd.argoproj.io/tracking-id': 'west:argoproj.io/Application:argocd/g' };
  live.metadata!.labels = { 'app.kubernetes.io/instance': 'west-argocd' };
  assert.equal(planEntryFor(backup, live, opts()).action, 'update');
  assert.equal(planEntryFor(backup, live, opts({ ignoreTracking: true })).action, 'unchanged');
});

test('prune candidates: ConfigMaps and agent objects never; skip label protects; Application finalizers are named', () => {
  const live = [
    withNamespace(cm('argocd-tls-certs-cm'), NS),
    withNamespace(secret('repo-old', { url: 'x' }), NS),
    withNamespace({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gitops-agent', labels: { 'argocd.argoproj.io/secret-type': 'x', 'app.kubernetes.io/part-of': 'harness-gitops' } } }, NS),
    withNamespace(project('keep-me'), NS),
    withNamespace(app('old', { finalizers: ['resources-finalizer.argocd.argoproj.io'] }), NS),
    withNamespace(appSet('gone'), NS),
  ];
  live[3]!.metadata!.labels = { 'dr/skip': 'true' };
  const entries = pruneEntriesFor(live, new Set(), opts({ skipResourcesWithLabel: 'dr/skip=true' }));
  assert.deepEqual(entries.map((e) => `${e.action} ${e.ref.kind}/${e.ref.name}`), [
    'prune ApplicationSet/gone',
    'prune Application/old',
    'skip AppProject/keep-me',
    'skip Secret/gitops-agent',
    'prune Secret/repo-old',
    'skip ConfigMap/argocd-tls-certs-cm',
  ]);
  assert.match(entries[1]!.reason!, /finalizers resources-finalizer\.argocd\.argoproj\.io/);
});

test('planRestore against a live namespace: every action, app namespaces from argocd-cmd-params-cm, secrets never leak', async () => {
  const server = await FakeKubeApi.start();
  const client = await server.client();
  try {
    server.put(cmdParams());
    server.put(withNamespace(cm('argocd-cm', { 'admin.enabled': 'false', url: 'https://argocd.example.com' }), NS));
    server.put(withNamespace(cm('argocd-rbac-cm', { 'policy.csv': 'p, role:ops, applications, *, */*, allow', 'policy.default': '' }), NS));
    server.put(withNamespace(secret('repo-one', { url: 'https://github.com/example/apps', password: 'live-password-zzz' }), NS));
    server.put(withNamespace(secret('stale-repo', { url: 'https://old' }), NS));
    server.put(withNamespace({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gitops-agent' }, data: { GITOPS_AGENT_TOKEN: 'dG9r' } }, NS));
    server.put(withNamespace(app('guestbook', { status: { sync: { status: 'Synced' }, health: { status: 'Healthy' }, reconciledAt: 'later' } }), NS));
    server.put(app('orphan', { namespace: 'team-z' }));
    server.put(app('elsewhere', { namespace: 'not-enabled' }));
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS }, { sourceLabel: 'east.yaml' });
    const byName = Object.fromEntries(plan.entries.map((e) => [`${e.ref.kind}/${e.ref.name}`, e]));
    assert.equal(byName['ConfigMap/argocd-cm']!.action, 'update');
    assert.equal(byName['ConfigMap/argocd-rbac-cm']!.action, 'unchanged');
    assert.equal(byName['ConfigMap/argocd-ssh-known-hosts-cm']!.action, 'create');
    assert.equal(byName['Secret/repo-one']!.action, 'update');
    assert.equal(byName['Application/guestbook']!.action, 'unchanged', 'reconciledAt differs only');
    assert.equal(byName['Application/billing']!.action, 'create');
    assert.equal(byName['Application/billing']!.ref.namespace, 'team-a');
    assert.equal(byName['Secret/stale-repo']!.action, 'prune');
    assert.equal(byName['Application/orphan']!.action, 'prune');
    assert.equal(byName['Application/elsewhere'], undefined, 'apps of namespaces that are not enabled are not Argo CD\'s to prune');
    assert.equal(byName['Secret/gitops-agent'], undefined);
    assert.deepEqual(plan.options.applicationNamespaces, ['team-*']);
    assert.equal(plan.target.namespace, NS);
    assert.equal(plan.counts.error, 0);
    const printed = JSON.stringify(planReport(plan)) + formatPlanText(plan, { listUnchanged: true });
    for (const v of ['live-password-zzz', 'hunter2-repo-password', 's3cr3t-server-key', 'tok-abc']) {
      assert.equal(printed.includes(v) || printed.includes(Buffer.from(v).toString('base64')), false, `plan output leaks ${v}`);
    }
    assert.equal(server.writes().length, 0, 'planning writes nothing');
  } finally {
    client.close();
    await server.stop();
  }
});

test('restoring into another namespace: objects without a namespace go to the target', async () => {
  const server = await FakeKubeApi.start();
  const client = await server.client();
  try {
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: 'restore-test', applicationNamespaces: ['team-*'], applicationSetNamespaces: ['x'] });
    const namespaces = new Set(plan.entries.filter((e) => e.ref.kind !== 'Application' || e.ref.name !== 'billing').map((e) => e.ref.namespace));
    assert.deepEqual([...namespaces], ['restore-test']);
    assert.equal(plan.entries.find((e) => e.ref.name === 'billing')!.ref.namespace, 'team-a');
    assert.equal(plan.counts.create, demoBackup().length);
  } finally {
    client.close();
    await server.stop();
  }
});

test('an identity that may not read Secrets gets one error per Secret, the rest is planned', async () => {
  const server = await FakeKubeApi.start();
  const client = await server.client();
  try {
    server.forbidden.add('secrets/*');
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
    const errors = plan.entries.filter((e) => e.action === 'error');
    assert.deepEqual(errors.map((e) => e.ref.name), ['argocd-secret', 'repo-one', 'cluster-east']);
    assert.match(errors[0]!.reason!, /forbidden: this identity may not list secrets in namespace argocd/);
    assert.equal(plan.counts.create, demoBackup().length - 4);
    assert.equal(plan.counts.skip, 1, 'billing: team-a is not enabled without argocd-cmd-params-cm');
    assert.ok(plan.warnings.some((w) => /Secrets of argocd not read/.test(w)));
  } finally {
    client.close();
    await server.stop();
  }
});

test('refusals: empty input and a bad document throw RestoreRefusedError before any request', async () => {
  const server = await FakeKubeApi.start();
  const client = await server.client();
  try {
    await assert.rejects(planRestore(client, parsedOf([]), { namespace: NS }), (e: unknown) => e instanceof RestoreRefusedError && /empty/.test(e.message));
    await assert.rejects(planRestore(client, parsedOf([cm('argocd-cm'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }]), { namespace: NS }), RestoreRefusedError);
    await assert.rejects(planRestore(client, parsedOf([cm('a')]), { namespace: NS, skipResourcesWithLabel: 'novalue' }), /key=value/);
    assert.equal(server.requests.length, 0);
  } finally {
    client.close();
    await server.stop();
  }
});

test('objects in a namespace that does not exist are plan errors, not apply failures', async () => {
  const server = await FakeKubeApi.start();
  const client = await server.client();
  try {
    server.put(cmdParams());
    server.absentNamespaces.add('team-a');
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
    const billing = plan.entries.find((e) => e.ref.name === 'billing')!;
    assert.equal(billing.action, 'error');
    assert.equal(billing.reason, 'namespace team-a does not exist on context fake: create it first (or restore with create namespaces)');
    assert.deepEqual(plan.missingNamespaces, ['team-a']);
    assert.equal(plan.counts.error, 1);
  } finally {
    client.close();
    await server.stop();
  }
});
