import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyRestore } from '../../../src/core/restore/apply';
import { planRestore } from '../../../src/core/restore/gate';
import { formatResultText } from '../../../src/core/restore/format';
import type { KubeClient } from '../../../src/core/kube/client';
import { FakeKubeApi } from '../../support/fakeKubeApi';
import { NS, app, appSet, cmdParams, demoBackup, parsedOf, secret, withNamespace } from './fixtures';

const FAST = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

async function withServer(fn: (server: FakeKubeApi, client: KubeClient) => Promise<void>): Promise<void> {
  const server = await FakeKubeApi.start();
  const client = await server.client();
  try {
    await fn(server, client);
  } finally {
    client.close();
    await server.stop();
  }
}

const kindOfPath = (p: string): string => p.split('/').filter((s) => s).find((s) => ['configmaps', 'secrets', 'appprojects', 'applications', 'applicationsets'].includes(s)) ?? '?';

test('apply writes in order (ConfigMaps and Secrets, AppProjects, Applications, ApplicationSets); a second plan is all unchanged', async () => {
  await withServer(async (server, client) => {
    server.put(cmdParams());
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
    const result = await applyRestore(client, plan, { concurrency: 4, retry: FAST });
    assert.equal(result.counts.created, demoBackup().length);
    assert.equal(result.counts.failed, 0);
    const order = server.writes().filter((r) => !r.path.endsWith('/status')).map((r) => kindOfPath(r.path));
    const rank = (k: string): number => ({ configmaps: 0, secrets: 0, appprojects: 1, applications: 2, applicationsets: 3 })[k] ?? 9;
    for (let i = 1; i < order.length; i++) assert.ok(rank(order[i - 1]!) <= rank(order[i]!), `write order ${order.join(',')}`);
    assert.deepEqual(server.find('ApplicationSet', NS, 'guestbooks')!.status, { conditions: [{ type: 'ResourcesUpToDate', status: 'True' }] }, 'ApplicationSet status goes through /status');
    assert.equal(result.results.find((r) => r.ref.name === 'argocd-cm')!.line, '/ConfigMap argocd-cm in namespace argocd created');

    const again = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
    assert.equal(again.counts.unchanged, demoBackup().length, JSON.stringify(again.entries.filter((e) => e.action !== 'unchanged').map((e) => [e.ref.name, e.diff])));
    const rerun = await applyRestore(client, again, { retry: FAST });
    assert.equal(rerun.counts.unchanged, demoBackup().length);
  });
});

test('dry run: every write is a server-side dry run, nothing is stored, lines end with (dry run)', async () => {
  await withServer(async (server, client) => {
    server.put(cmdParams());
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
    const result = await applyRestore(client, plan, { dryRun: true, retry: FAST });
    assert.ok(server.writes().length >= demoBackup().length);
    assert.ok(server.writes().every((w) => w.query.get('dryRun') === 'All'));
    assert.equal(server.objects.size, 1, 'only the seeded argocd-cmd-params-cm');
    assert.ok(result.results.every((r) => r.line.endsWith('created (dry run)')), result.results.map((r) => r.line).join('\n'));
  });
});

test('429 and 5xx are retried; a create whose first answer was lost and then meets 409 is reported created', async () => {
  await withServer(async (server, client) => {
    let posts = 0;
    server.faults.push((req) => (req.method === 'POST' && req.path.endsWith('/configmaps') && posts++ < 2 ? { status: 429, reason: 'TooManyRequests' } : undefined));
    let puts = 0;
    server.faults.push((req) => (req.method === 'POST' && req.path.endsWith('/appprojects') && puts++ < 1 ? { status: 503, reason: 'ServiceUnavailable' } : undefined));
    // The first POST of the Application lands, but the answer is lost (500 after storing).
    let landedOnce = false;
    server.faults.push((req) => {
      if (req.method === 'POST' && req.path.endsWith('/applications') && !landedOnce) {
        landedOnce = true;
        server.put({ ...req.body!, metadata: { ...req.body!.metadata, namespace: NS } });
        return { status: 500, reason: 'InternalError' };
      }
      return undefined;
    });
    const plan = await planRestore(client, parsedOf([demoBackup()[0]!, demoBackup()[7]!, demoBackup()[8]!]), { namespace: NS });
    const result = await applyRestore(client, plan, { retry: FAST });
    assert.deepEqual(result.results.map((r) => r.outcome), ['created', 'created', 'created']);
  });
});

test('409 on update: a status-only change is re-read and updated; a spec change fails unless override on conflict', async () => {
  for (const override of [false, true]) {
    await withServer(async (server, client) => {
      server.put(withNamespace(app('guestbook', { revision: 'old' }), NS));
      const plan = await planRestore(client, parsedOf([app('guestbook')]), { namespace: NS, overrideOnConflict: override, applicationNamespaces: ['x'], applicationSetNamespaces: ['x'] });
      assert.equal(plan.entries[0]!.action, 'update');
      // A controller writes status after the plan.
      const live = server.find('Application', NS, 'guestbook')!;
      server.put({ ...live, status: { sync: { status: 'OutOfSync' } } });
      const r1 = await applyRestore(client, plan, { retry: FAST });
      assert.equal(r1.results[0]!.outcome, 'updated', r1.results[0]!.error);
      assert.equal((server.find('Application', NS, 'guestbook')!.spec as { source: { targetRevision: string } }).source.targetRevision, 'main');

      // Someone changes the spec after the plan.
      server.put(withNamespace(app('guestbook', { revision: 'old' }), NS));
      const plan2 = await planRestore(client, parsedOf([app('guestbook')]), { namespace: NS, overrideOnConflict: override, applicationNamespaces: ['x'], applicationSetNamespaces: ['x'] });
      server.put(withNamespace(app('guestbook', { revision: 'hotfix' }), NS));
      const r2 = await applyRestore(client, plan2, { retry: FAST });
      if (override) assert.equal(r2.results[0]!.outcome, 'updated');
      else {
        assert.equal(r2.results[0]!.outcome, 'failed');
        assert.match(r2.results[0]!.error!, /changed live since the plan/);
        assert.equal((server.find('Application', NS, 'guestbook')!.spec as { source: { targetRevision: string } }).source.targetRevision, 'hotfix', 'the other change is kept');
      }
    });
  }
});

test('per-object forbidden writes fail that object only', async () => {
  await withServer(async (server, client) => {
    server.put(cmdParams());
    server.faults.push((req) => (req.method === 'POST' && req.path.endsWith('/secrets') ? { status: 403, reason: 'Forbidden', message: 'secrets is forbidden' } : undefined));
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
    const result = await applyRestore(client, plan, { retry: FAST });
    const failed = result.results.filter((r) => r.outcome === 'failed');
    assert.deepEqual(failed.map((r) => r.ref.name), ['argocd-secret', 'repo-one', 'cluster-east']);
    assert.match(failed[0]!.line, /^\/Secret argocd-secret in namespace argocd failed: forbidden \(403\)/);
    assert.equal(result.counts.created, demoBackup().length - 3);
  });
});

test('server gone mid-apply: every object has a result, the rest fails fast; after restart a rerun converges', async () => {
  await withServer(async (server, client) => {
    const backup = Array.from({ length: 60 }, (_, i) => app(`app-${String(i).padStart(2, '0')}`));
    const plan = await planRestore(client, parsedOf(backup), { namespace: NS, applicationNamespaces: ['x'], applicationSetNamespaces: ['x'] });
    let creates = 0;
    server.faults.push((req) => {
      if (req.method === 'POST' && ++creates === 20) void server.pause();
      return undefined;
    });
    const started = Date.now();
    const result = await applyRestore(client, plan, { concurrency: 4, retry: FAST });
    assert.equal(result.results.length, 60);
    assert.ok(result.counts.created >= 15 && result.counts.created < 60, `created ${result.counts.created}`);
    assert.equal(result.counts.created + result.counts.failed, 60);
    assert.ok(result.results.filter((r) => r.outcome === 'failed').every((r) => /refused|not attempted|network/.test(r.error!)), formatResultText(result));
    assert.ok(Date.now() - started < 5000, 'fails fast once the server is gone');

    server.faults = [];
    await server.resume();
    const rerunPlan = await planRestore(client, parsedOf(backup), { namespace: NS, applicationNamespaces: ['x'], applicationSetNamespaces: ['x'] });
    const rerun = await applyRestore(client, rerunPlan, { retry: FAST });
    assert.equal(rerun.counts.failed, 0);
    assert.equal(rerun.counts.created + rerun.counts.unchanged, 60);
    assert.equal(rerun.counts.unchanged, 60 - rerun.counts.created);
    for (const b of backup) assert.ok(server.find('Application', NS, b.metadata!.name!), b.metadata!.name);
  });
});

test('cancel: in-flight and not-started objects get a cancelled result', async () => {
  await withServer(async (server, client) => {
    const backup = Array.from({ length: 30 }, (_, i) => app(`a${i}`));
    const plan = await planRestore(client, parsedOf(backup), { namespace: NS, applicationNamespaces: ['x'], applicationSetNamespaces: ['x'] });
    const ac = new AbortController();
    const result = await applyRestore(client, plan, { concurrency: 2, signal: ac.signal, retry: FAST, onProgress: ({ done }) => done === 5 && ac.abort() });
    assert.equal(result.results.length, 30);
    assert.ok(result.counts.failed >= 20);
    assert.ok(result.results.filter((r) => r.outcome === 'failed').every((r) => /cancel/.test(r.error!)));
    assert.ok(server.objects.size < 30);
  });
});

test('prune: off lists "needs pruning"; on deletes exactly the candidates in order; finalizers kept unless allowed', async () => {
  for (const strip of [false, true]) {
    await withServer(async (server, client) => {
      server.put(cmdParams());
      server.put(withNamespace(secret('stale-repo', { url: 'x' }), NS));
      server.put(withNamespace(app('old-app', { finalizers: ['resources-finalizer.argocd.argoproj.io'] }), NS));
      server.put(withNamespace(appSet('old-set'), NS));
      server.put(withNamespace({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unrelated' }, data: {} }, NS));
      const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
      assert.deepEqual(plan.entries.filter((e) => e.action === 'prune').map((e) => e.ref.name), ['old-set', 'old-app', 'stale-repo']);

      const noPrune = await applyRestore(client, plan, { retry: FAST });
      assert.deepEqual(noPrune.results.filter((r) => r.outcome === 'needsPruning').map((r) => r.line), [
        'argoproj.io/ApplicationSet old-set in namespace argocd needs pruning',
        'argoproj.io/Application old-app in namespace argocd needs pruning',
        '/Secret stale-repo in namespace argocd needs pruning',
      ]);
      assert.ok(server.find('Secret', NS, 'stale-repo'));

      const plan2 = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
      const before = server.writes().length;
      const pruned = await applyRestore(client, plan2, { prune: true, allowFinalizerStrip: strip, retry: FAST });
      const deletes = server.writes().slice(before).filter((w) => w.method === 'DELETE').map((w) => w.path.split('/').pop());
      assert.deepEqual(deletes, ['old-set', 'old-app', 'stale-repo']);
      assert.equal(pruned.counts.pruned, 3);
      assert.equal(server.find('Secret', NS, 'stale-repo'), undefined);
      assert.ok(server.find('Secret', NS, 'unrelated'), 'not an Argo CD secret: never a candidate');
      const oldApp = server.find('Application', NS, 'old-app');
      if (strip) assert.equal(oldApp, undefined);
      else {
        assert.deepEqual(oldApp!.metadata!.finalizers, ['resources-finalizer.argocd.argoproj.io']);
        assert.ok(oldApp!.metadata!.deletionTimestamp);
        assert.match(pruned.results.find((r) => r.ref.name === 'old-app')!.note!, /finalizers kept/);
      }
    });
  }
});

test('prune deletes nothing when the plan has an error or a write failed', async () => {
  await withServer(async (server, client) => {
    server.put(cmdParams());
    server.put(withNamespace(secret('stale-repo', { url: 'x' }), NS));
    server.faults.push((req) => (req.method === 'POST' && req.path.endsWith('/appprojects') ? { status: 422, reason: 'Invalid', message: 'spec.destinations: invalid' } : undefined));
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
    const result = await applyRestore(client, plan, { prune: true, retry: FAST });
    assert.equal(result.pruneWithheld, '1 object failed to restore');
    assert.ok(server.find('Secret', NS, 'stale-repo'));
    assert.equal(server.writes().filter((w) => w.method === 'DELETE').length, 0);
    assert.match(result.results.find((r) => r.ref.name === 'stale-repo')!.note!, /not pruned: 1 object failed/);
  });
  await withServer(async (server, client) => {
    server.put(withNamespace(secret('stale-repo', { url: 'x' }), NS));
    server.forbidden.add('appprojects/*');
    const plan = await planRestore(client, parsedOf(demoBackup()), { namespace: NS });
    assert.ok(plan.counts.error > 0);
    const result = await applyRestore(client, plan, { prune: true, retry: FAST });
    assert.equal(result.pruneWithheld, 'the plan has errors');
    assert.equal(server.writes().filter((w) => w.method === 'DELETE').length, 0);
  });
});
