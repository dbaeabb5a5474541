import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { KubeError } from '../../../src/core/kube/errors';
import { exportBackup, type BackupProgress } from '../../../src/core/backup/exportBackup';
import { FakeKubeApi } from '../../support/fakeKubeApi';
import { argoNamespace } from './argoNamespace';

async function run(api: FakeKubeApi, options: Partial<Parameters<typeof exportBackup>[1]> = {}) {
  const chunks: string[] = [];
  const result = await exportBackup(api, { namespace: 'argocd', ...options }, (c) => {
    chunks.push(c);
  });
  const text = chunks.join('');
  const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata?: { name?: string; namespace?: string } } | null).filter((d) => d !== null);
  return { result, text, chunks, docs, names: docs.map((d) => `${d!.kind}/${d!.metadata?.namespace ? `${d!.metadata.namespace}/` : ''}${d!.metadata?.name}`) };
}

function withApps(api: FakeKubeApi): FakeKubeApi {
  api.add('applications', 'argocd', 'b-app', { spec: { project: 'default' } });
  api.add('applications', 'argocd', 'a-app', { spec: { project: 'default' } });
  api.add('applications', 'team-alpha', 'x', { spec: { project: 'default' } });
  api.add('applications', 'sandbox', 'not-enabled', { spec: { project: 'default' } });
  api.add('applicationsets', 'argocd', 'set-1', { spec: { generators: [] } });
  api.add('applicationsets', 'team-alpha', 'set-elsewhere', { spec: { generators: [] } });
  return api;
}

test('export: objects and order exactly as argocd admin export', async () => {
  const { names, result } = await run(withApps(argoNamespace(new FakeKubeApi())));
  assert.deepEqual(names, [
    'ConfigMap/argocd-cm',
    'ConfigMap/argocd-rbac-cm',
    'ConfigMap/argocd-ssh-known-hosts-cm',
    'ConfigMap/argocd-tls-certs-cm',
    'Secret/argocd-secret',
    'Secret/cluster-1',
    'Secret/managed',
    'Secret/repo-1',
    'AppProject/default',
    'Application/a-app',
    'Application/b-app',
    'Application/team-alpha/x',
    'ApplicationSet/set-1',
  ]);
  assert.deepEqual(result.counts, { ConfigMap: 4, Secret: 4, AppProject: 1, Application: 3, ApplicationSet: 1 });
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.applicationNamespaces, ['team-*']);
  assert.equal(result.mode, 'native');
});

test('export: agent ConfigMaps and Secrets, argocd-redis, gpg and cmd-params ConfigMaps are never in a backup', async () => {
  const { text } = await run(argoNamespace(new FakeKubeApi()));
  for (const name of ['gitops-agent', 'argocd-redis', 'argocd-gpg-keys-cm', 'argocd-cmd-params-cm', 'GITOPS_AGENT_TOKEN']) assert.ok(!text.includes(name), name);
});

test('export: sanitised documents, Argo separators, core kinds filled in from the list', async () => {
  const { text } = await run(argoNamespace(new FakeKubeApi()));
  const secret = text.split('---\n').find((d) => d.includes('name: argocd-secret'))!;
  assert.equal(secret, 'apiVersion: v1\ndata:\n  server.secretkey: c2VjcmV0\nkind: Secret\nmetadata:\n  name: argocd-secret\ntype: Opaque\n');
  assert.ok(text.startsWith('apiVersion: v1\ndata:\n  admin.enabled: "true"\n'));
  assert.ok(text.endsWith('---\n'));
  assert.ok(!/uid|resourceVersion|creationTimestamp|managedFields/.test(text));
});

test('export: flags override argocd-cmd-params-cm; Applications then come from a cluster-wide list', async () => {
  const api = withApps(argoNamespace(new FakeKubeApi()));
  const { names } = await run(api, { applicationNamespaces: ['sandbox'], applicationSetNamespaces: ['team-*'] });
  assert.ok(names.includes('Application/sandbox/not-enabled'));
  assert.ok(!names.includes('Application/team-alpha/x'));
  assert.ok(names.includes('ApplicationSet/team-alpha/set-elsewhere'));
  assert.ok(api.calls.includes('/apis/argoproj.io/v1alpha1/applications'));
  assert.ok(!api.calls.some((c) => c.includes('argocd-cmd-params-cm')), 'cmd-params is not read when both flags are given');
});

test('export: without enabled namespaces only the control-plane namespace is listed', async () => {
  const api = withApps(argoNamespace(new FakeKubeApi(), 'argocd', {}));
  const { names } = await run(api);
  assert.deepEqual(names.filter((n) => n.startsWith('Application')), ['Application/a-app', 'Application/b-app', 'ApplicationSet/set-1']);
  assert.ok(api.calls.includes('/apis/argoproj.io/v1alpha1/namespaces/argocd/applications'));
});

test('export: a missing argocd-cmd-params-cm is a warning, not a failure (Argo CD stops there)', async () => {
  const { result, names } = await run(withApps(argoNamespace(new FakeKubeApi(), 'argocd', null)));
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0]!, /argocd-cmd-params-cm not found in namespace argocd/);
  assert.ok(names.includes('Application/a-app'));
  assert.ok(!names.includes('Application/team-alpha/x'));
});

test('export: a missing required ConfigMap is listed; everything else is still exported', async () => {
  const api = withApps(argoNamespace(new FakeKubeApi()));
  api.objects.delete('configmaps/argocd/argocd-tls-certs-cm');
  const { result, names } = await run(api);
  assert.deepEqual(result.missing, ['ConfigMap argocd-tls-certs-cm']);
  assert.ok(result.warnings.some((w) => w.includes('argocd-tls-certs-cm')));
  assert.equal(result.counts.ConfigMap, 3);
  assert.equal(names.length, 12);
});

test('export: forbidden on Secrets fails the whole backup and names the missing permission', async () => {
  const api = argoNamespace(new FakeKubeApi());
  api.failOn('/api/v1/namespaces/argocd/secrets', 403, 'Forbidden');
  await assert.rejects(run(api), (e: unknown) => {
    assert.ok(e instanceof KubeError);
    assert.equal(e.reason, 'forbidden');
    assert.equal(e.message, 'forbidden: this identity may not list secrets in namespace argocd (needs list on secrets in namespace argocd); no backup was written');
    assert.equal(e.details?.verb, 'list');
    return true;
  });
});

test('export: every list is requested up front, written in order; after a failure the requests still in flight are aborted', async () => {
  const api = argoNamespace(new FakeKubeApi());
  api.failOn('/api/v1/namespaces/argocd/secrets', 403, 'Forbidden');
  await assert.rejects(run(api), /may not list secrets/);
  const apps = api.requests.find((r) => r.path.endsWith('/applications'));
  assert.ok(apps, 'the Applications list was requested before the Secrets failed');
  assert.ok(apps.signal?.aborted, 'and aborted once the backup failed');
  assert.ok(api.requests.every((r) => r.signal?.aborted), 'nothing is left running');
});

test('export: a sink that fails (disk full) fails the backup, with nothing written after it and no write left running', async () => {
  const api = argoNamespace(new FakeKubeApi());
  for (let i = 0; i < 30; i++) api.add('applications', 'argocd', `app-${i}`, { spec: { project: 'default' } });
  const written: string[] = [];
  let running = 0;
  let calls = 0;
  const sink = async (chunk: string): Promise<void> => {
    calls++;
    running++;
    await new Promise((r) => setImmediate(r));
    running--;
    if (written.length === 2) throw new Error('ENOSPC: no space left on device');
    written.push(chunk);
  };
  await assert.rejects(exportBackup(api, { namespace: 'argocd', pageSize: 5 }, sink), /ENOSPC/);
  assert.equal(written.length, 2);
  assert.equal(calls, 3, 'no write is started after one failed');
  assert.equal(running, 0, 'a write still running after the backup failed');
});

test('export: forbidden on a cluster-wide Application list explains why it is cluster-wide', async () => {
  const api = withApps(argoNamespace(new FakeKubeApi()));
  api.failOn('/apis/argoproj.io/v1alpha1/applications', 403, 'Forbidden');
  await assert.rejects(run(api), /may not list applications\.argoproj\.io in all namespaces \(needs list on applications\.argoproj\.io cluster-wide\), because Applications are enabled in namespaces team-\*/);
});

test('export: ApplicationSets not served or forbidden are warnings, as in argocd admin export', async () => {
  const api = argoNamespace(new FakeKubeApi(), 'argocd', {});
  api.failOn('/apis/argoproj.io/v1alpha1/namespaces/argocd/applicationsets', 404, 'NotFound');
  let r = await run(api);
  assert.match(r.result.warnings.join('\n'), /ApplicationSet resource is not served/);
  api.faults = [];
  api.failOn('/apis/argoproj.io/v1alpha1/namespaces/argocd/applicationsets', 403, 'Forbidden');
  r = await run(api);
  assert.match(r.result.warnings.join('\n'), /ApplicationSets not exported: forbidden/);
});

test('export: lists are paged and each page is written before the next-but-one is requested', async () => {
  const api = argoNamespace(new FakeKubeApi(), 'argocd', {});
  for (let i = 0; i < 25; i++) api.add('applications', 'argocd', `app-${String(i).padStart(2, '0')}`, { spec: {} });
  const events: string[] = [];
  api.faults.push(({ path: p }) => {
    if (p.endsWith('/applications')) events.push('request');
  });
  const progress: BackupProgress[] = [];
  const result = await exportBackup(api, { namespace: 'argocd', pageSize: 10, onProgress: (p) => progress.push({ ...p, counts: { ...p.counts } }) }, (c) => {
    if (c.includes('kind: Application\n')) events.push('write');
  });
  assert.equal(result.counts.Application, 25);
  assert.deepEqual(api.calls.filter((c) => /\/applications($|\?)/.test(c)), [
    '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications',
    '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications?continue=10',
    '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications?continue=20',
  ]);
  // At most one page is fetched ahead of what has been written.
  assert.deepEqual(events, ['request', 'request', 'write', 'request', 'write', 'write']);
  assert.equal(progress.length, result.counts.ConfigMap + result.counts.Secret + result.counts.AppProject + 25);
  assert.equal(progress.at(-1)!.total, progress.length);
});

test('export: cancellation stops the export with reason cancelled', async () => {
  const api = argoNamespace(new FakeKubeApi());
  const abort = new AbortController();
  api.faults.push(({ path: p }) => {
    if (p.includes('/secrets')) abort.abort();
  });
  await assert.rejects(run(api, { signal: abort.signal }), (e: unknown) => e instanceof KubeError && e.reason === 'cancelled');
});

test('export: integers beyond 2^53 in a custom resource keep every digit', async () => {
  const api = argoNamespace(new FakeKubeApi(), 'argocd', {});
  api.add('applications', 'argocd', 'big', { spec: { n: 1 } });
  const original = api.requestText.bind(api);
  api.requestText = async (p, o) => (await original(p, o)).replace('"n":1', '"n":9223372036854775807');
  const { text } = await run(api);
  assert.match(text, /\n {2}"n": 9223372036854775807\n/);
});
