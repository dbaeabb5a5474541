// An API server stopped in the middle of an apply, then restarted, and the restore run again: every object gets a
// result in the first run, and the rerun converges. Runs on a PRIVATE copy of scenario rule-same-cluster (its own
// GITOPS_DR_CLUSTER_HOME), so stopping the server disturbs no other test.
import * as os from 'node:os';
import * as path from 'node:path';
process.env.GITOPS_DR_CLUSTER_HOME = process.env.GITOPS_DR_RESTORE_CLUSTER_HOME ?? path.join(os.tmpdir(), 'gitops-dr-restore-private-clusters');

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/core/kube/client';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { APPLICATION } from '../../../src/core/objects/resources';
import { applyRestore, planRestore, formatResultText } from '../../../src/core/restore';
import { writeArgoYamlDocument } from '../../../src/core/yaml/argoYaml';
import { readBackup } from '../../../src/core/yaml/readBackup';
import { clusterApi, scenario, type ScenarioClusters } from '../support/clusters';
import { clientFor, createNamespace, freshName, removeNamespace } from './support';

const SCENARIO = 'rule-same-cluster';
const CONTEXT = 'same';
let s: ScenarioClusters;
let client: KubeClient;
let ns: string;

function syntheticBackup(apps: number): string {
  const objs: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' }, data: { 'admin.enabled': 'false' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm' }, data: { 'policy.default': 'role:readonly' } },
    ...Array.from({ length: 20 }, (_, i) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `repo-${i}`, labels: { 'argocd.argoproj.io/secret-type': 'repository' } }, data: { url: Buffer.from(`https://git.example.com/r${i}`).toString('base64') }, type: 'Opaque' })),
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { sourceRepos: ['*'], destinations: [{ namespace: '*', server: '*' }] } },
    ...Array.from({ length: apps }, (_, i) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `app-${String(i).padStart(4, '0')}`, labels: { team: `t${i % 7}` } },
      spec: { project: 'p', source: { repoURL: `https://git.example.com/r${i % 20}`, path: `apps/${i}`, targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: `app-${i}` } },
    })),
  ];
  return objs.map((o) => writeArgoYamlDocument(o)).join('');
}

before(async () => {
  s = await scenario(SCENARIO);
  client = await clientFor(s, CONTEXT, 5_000);
  ns = freshName('restore-interrupted');
  await createNamespace(client, ns);
});

after(async () => {
  const api = await clusterApi();
  await api.startCluster(SCENARIO, CONTEXT).catch(() => undefined);
  const c = await clientFor(s, CONTEXT);
  await removeNamespace(c, ns);
  c.close();
  client?.close();
});

test('server stopped mid-apply: a result for every object; after a restart the rerun converges', async () => {
  const api = await clusterApi();
  const text = syntheticBackup(400);
  const total = readBackup(text).documents.length;
  const plan = await planRestore(client, readBackup(text), { namespace: ns });
  assert.equal(plan.counts.create, total);

  let stopping: Promise<unknown> | undefined;
  const first = await applyRestore(client, plan, {
    concurrency: 4,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 500 },
    onProgress: ({ done }) => {
      if (done === 120 && !stopping) stopping = api.stopCluster(SCENARIO, CONTEXT);
    },
  });
  await stopping;
  console.log(`first run: ${JSON.stringify(first.counts)} in ${first.durationMs} ms`);
  assert.equal(first.results.length, total, 'a result for every object');
  assert.equal(first.counts.created + first.counts.failed, total, formatResultText(first));
  assert.ok(first.counts.created >= 120 && first.counts.failed > 0, `created ${first.counts.created}, failed ${first.counts.failed}`);
  for (const r of first.results.filter((x) => x.outcome === 'failed')) assert.match(r.error!, /refused|network|timeout|not attempted|server/, r.line);

  await api.startCluster(SCENARIO, CONTEXT);
  const fresh = await clientFor(s, CONTEXT);
  try {
    const rerunPlan = await planRestore(fresh, readBackup(text), { namespace: ns });
    assert.equal(rerunPlan.counts.create + rerunPlan.counts.unchanged, total, JSON.stringify(rerunPlan.counts));
    assert.ok(rerunPlan.counts.unchanged >= first.counts.created - 4, 'what the first run created (or had in flight) is there');
    const rerun = await applyRestore(fresh, rerunPlan, { concurrency: 8 });
    assert.equal(rerun.counts.failed, 0, formatResultText(rerun));
    assert.equal(rerun.results.length, total);
    const apps = await fresh.listAll(APPLICATION, ns);
    assert.equal(apps.length, 400);
    const third = await planRestore(fresh, readBackup(text), { namespace: ns });
    assert.equal(third.counts.unchanged, total, 'every object ends right');
  } finally {
    fresh.close();
  }
});
