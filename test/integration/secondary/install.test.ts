// Creating and installing a secondary DR agent end to end: the Harness stand-in creates the node and serves its
// deploy.yaml, the manifest is dry-run and applied to a real API server, the test plays kubelet (ready status through
// the status subresource) and the watch sees it ready; discovery then shows the new pair. Runs on a PRIVATE copy of
// the demo scenario (its own GITOPS_DR_CLUSTER_HOME): the install adds an agent, which no other test expects.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
process.env.GITOPS_DR_CLUSTER_HOME = process.env.GITOPS_DR_SECONDARY_CLUSTER_HOME ?? path.join(os.tmpdir(), 'gitops-dr-secondary-private-clusters');

import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { clusterApi, scenario, type ScenarioClusters } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { runCli } from '../../../src/cli/main';
import { KubeClient } from '../../../src/core/kube/client';
import { KubeError } from '../../../src/core/kube/errors';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { CONFIG_MAP, DEPLOYMENT, NAMESPACE } from '../../../src/core/objects/resources';
import { discoverAll } from '../../../src/core/agents/discover';
import { applyManifest, ApplyError } from '../../../src/core/secondary/apply';
import { parseManifest } from '../../../src/core/secondary/manifest';
import { ReadinessTimeout, watchUntilReady } from '../../../src/core/secondary/watch';
import { FakeHarness } from '../../support/fakeHarness';
import { renderDeployYaml } from '../../support/fakeDeployYaml';
import { keepMarkingReady } from './support';

const KEY = 'pat.kmpy.secondary.TESTKEY42';
const ACCOUNT = 'kmpySmUISimoRrJL6NL73w';

describe('secondary install on a private demo copy, with the Harness stand-in', () => {
  let s: ScenarioClusters;
  let west: KubeClient;
  let lab: KubeClient;
  let fake: FakeHarness;
  let tmp: string;

  before(async () => {
    // A fresh copy every run: the install changes it, and `npm test -- --keep-clusters` would hand the next run a
    // copy that already holds the secondary.
    await (await clusterApi()).down('demo');
    s = await scenario('demo');
    const kc = await loadKubeconfig(kubeconfigFiles([s.kubeconfig]));
    west = await KubeClient.forContext(kc, 'west', { timeoutMs: 10_000 });
    lab = await KubeClient.forContext(kc, 'lab', { timeoutMs: 10_000 });
    // Harness knows labagent as a DR primary (its install carries no DR key: the chart's legacy DR setting).
    fake = await FakeHarness.start({
      apiKeys: [KEY],
      nodes: [
        { account: ACCOUNT, identifier: 'labagent', name: 'Lab agent', drIdentifier: 'lab', type: 'PRIMARY', namespace: 'harness-gitops', highAvailability: true },
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'east', type: 'PRIMARY', namespace: 'argocd' },
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'west', type: 'SECONDARY', namespace: 'argocd' },
      ],
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-secondary-'));
  });
  after(async () => {
    west?.close();
    lab?.close();
    await fake?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const env = (key: string): NodeJS.ProcessEnv => ({ ...process.env, KUBECONFIG: s.kubeconfig, HARNESS_API_KEY: key, HARNESS_BASE_URL: fake.url });

  test('401: a rejected key stops before anything is written to the cluster', async () => {
    const io = captureIO('', env('pat.bad.key.value'));
    const code = await runCli(['secondary', 'install', '--agent', 'east/argocd', '--context', 'lab', '--yes', '--timeout', '5'], io);
    assert.equal(code, 3, io.out() + io.err());
    assert.match(io.err(), /unauthorized \(401\).*the Harness API key was rejected/);
    assert.ok(!(io.out() + io.err()).includes('pat.bad.key.value'));
    assert.equal(await lab.get(NAMESPACE, undefined, 'argocd'), undefined, 'nothing applied');
    assert.equal(fake.node('dragent', 'lab'), undefined, 'nothing created in Harness');
  });

  test('without --yes: pre-checks and the plan; nothing created in Harness nor on the cluster', async () => {
    const io = captureIO('', env(KEY));
    const code = await runCli(['secondary', 'install', '--agent', 'east/argocd', '--context', 'lab'], io);
    assert.equal(code, 0, io.out() + io.err());
    assert.match(io.out(), /\[PASS\] No running agent without a DR identifier shares the identity: the primary has DR identifier east; other members: west\/argocd/);
    assert.match(io.out(), /\[PASS\] DR identifier "lab": .*Harness has no node with it/);
    assert.match(io.out(), /With --yes: create DR node lab \(Secondary\) of agent dragent in Harness/);
    assert.equal(fake.requestsTo('POST', '/gitops/api/v1/agents').length, 0);
    assert.equal(await lab.get(NAMESPACE, undefined, 'argocd'), undefined);
  });

  test('install: created in Harness, deploy.yaml dry-run then applied in a safe order, watched until ready; the pair appears', async () => {
    const kubelet = keepMarkingReady(lab, 'argocd');
    const io = captureIO('', env(KEY));
    let code: number;
    try {
      code = await runCli(['secondary', 'install', '--agent', 'east/argocd', '--context', 'lab', '--yes', '--show-manifest', '--ready-timeout', '60'], io);
    } finally {
      await kubelet.stop();
    }
    const out = io.out();
    assert.equal(code, 0, out + io.err());
    assert.match(out, /Harness: created secondary node lab of agent dragent/);
    const node = fake.node('dragent', 'lab');
    assert.equal(node?.type, 'SECONDARY');
    assert.ok(node?.token && !out.includes(node.token) && !io.err().includes(node.token), 'the agent token is never printed');
    assert.match(out, /GITOPS_AGENT_TOKEN: "?\*{8}/, 'the manifest is shown with the token masked');
    const lines = out.split('\n').map((l) => l.trim());
    const dry = lines.filter((l) => l.endsWith('(dry run)'));
    const real = lines.filter((l) => / (created|configured|unchanged|kept)( \(.*\))?$/.test(l) && !l.endsWith('(dry run)') && !l.startsWith('Namespace argocd created'));
    assert.ok(dry.length >= 20, `every object dry-run first: ${dry.length}`);
    assert.ok(lines.findIndex((l) => l.endsWith('(dry run)')) < lines.findIndex((l) => l.startsWith('Deployment gitops-agent in namespace argocd created') && !l.endsWith('(dry run)')));
    const kinds = real.map((l) => l.split(' ')[0]);
    assert.ok(kinds.indexOf('ServiceAccount') < kinds.indexOf('ClusterRole') && kinds.indexOf('ClusterRoleBinding') < kinds.indexOf('ConfigMap') && kinds.indexOf('ConfigMap') < kinds.indexOf('Deployment'), kinds.join(','));
    assert.match(out, /ready 5\/5/);
    assert.match(out, /is installed on lab\/argocd and ready/);
    const cm = await lab.get<{ data?: Record<string, string> }>(CONFIG_MAP, 'argocd', 'gitops-agent');
    assert.equal(cm?.data?.GITOPS_DISASTER_RECOVERY_IDENTIFIER, 'lab');
    assert.equal(cm?.data?.GITOPS_PROJECT_IDENTIFIER, 'gitops_dr_demo');
    assert.equal((await lab.get<{ spec?: { replicas?: number } }>(DEPLOYMENT, 'argocd', 'gitops-agent'))?.spec?.replicas, 1, 'NON-HA like the primary');

    const snapshot = await discoverAll(await loadKubeconfig(kubeconfigFiles([s.kubeconfig])), { timeoutMs: 5000 });
    const pair = snapshot.groups.find((g) => g.identity.agent === 'dragent');
    assert.deepEqual(pair?.members.map((m) => m.id).sort(), ['east/argocd', 'lab/argocd', 'west/argocd']);
    assert.ok(!pair!.findings.some((f) => f.severity === 'error'), JSON.stringify(pair!.findings));
  });

  test('a second run reuses the Harness node and finds every object unchanged', async () => {
    const io = captureIO('', env(KEY));
    const code = await runCli(['secondary', 'install', '--agent', 'east/argocd', '--context', 'lab', '--yes', '--ready-timeout', '10'], io);
    assert.equal(code, 0, io.out() + io.err());
    assert.match(io.out(), /\[PASS\] Agent namespace: namespace argocd already holds this agent's secondary \(DR identifier lab\)/);
    assert.match(io.out(), /Harness: reusing the existing secondary node lab/);
    assert.ok(!/ (created|configured)$/m.test(io.out()), io.out());
  });

  test('a downloaded manifest of another DR node is refused before anything is applied', async () => {
    const file = path.join(tmp, 'wrong.yaml');
    fs.writeFileSync(file, renderDeployYaml({ account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent' }, { namespace: 'argocd', drIdentifier: 'south', skipCrds: true, token: 't0ken-value', version: 'v0.98.1' }));
    const io = captureIO('', { ...process.env, KUBECONFIG: s.kubeconfig, HARNESS_API_KEY: '' });
    const before0 = (await lab.get(CONFIG_MAP, 'argocd', 'gitops-agent'))?.metadata?.resourceVersion;
    const code = await runCli(['secondary', 'install', '--agent', 'east/argocd', '--context', 'lab', '--manifest', file, '--yes'], io);
    assert.equal(code, 3, io.out() + io.err());
    assert.match(io.err(), /not the install of this secondary: DR identifier GITOPS_DISASTER_RECOVERY_IDENTIFIER=south \(expected lab\)/);
    assert.ok(!(io.out() + io.err()).includes('t0ken-value'));
    assert.equal((await lab.get(CONFIG_MAP, 'argocd', 'gitops-agent'))?.metadata?.resourceVersion, before0);
  });

  test('no key, no file: the pre-checks, then the seed\'s UI steps with the values to enter', async () => {
    const io = captureIO('', { ...process.env, KUBECONFIG: s.kubeconfig, HARNESS_API_KEY: '' });
    const code = await runCli(['secondary', 'install', '--agent', 'lab/harness-gitops', '--context', 'west', '--dr-identifier', 'lab_dr'], io);
    assert.equal(code, 0, io.out() + io.err());
    assert.match(io.out(), /Select the Secondary radio button and give the secondary identifier: lab_dr/);
    assert.match(io.out(), /Select the primary agent from the list: labagent/);
    assert.match(io.out(), /Namespace: harness-gitops/);
    assert.match(io.out(), /gitops-dr secondary install --agent lab\/harness-gitops --context west --dr-identifier lab_dr --manifest <downloaded file> --yes/);
  });

  test('a missing manifest file is a usage error before any cluster call', async () => {
    const io = captureIO('', { ...process.env, KUBECONFIG: s.kubeconfig });
    const code = await runCli(['secondary', 'install', '--agent', 'east/argocd', '--context', 'lab', '--manifest', path.join(tmp, 'absent.yaml')], io);
    assert.equal(code, 2);
    assert.match(io.err(), /cannot read the manifest .*absent\.yaml: no such file/);
  });

  test('a workload that never becomes ready: the watch times out naming it and why; cancel stops the watch', async () => {
    const ns = `sec-never-${Date.now().toString(36)}`;
    const objects = parseManifest(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gitops-agent}\ndata: {a: b}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: never-ready}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: n}}\n  template:\n    metadata: {labels: {app: n}}\n    spec: {containers: [{name: c, image: example.invalid/none:1}]}\n`,
      ns,
    );
    const report = await applyManifest(west, objects, { namespace: ns });
    assert.equal(report.namespaceCreatedForDryRun, true);
    assert.deepEqual(report.objects.map((o) => `${o.kind}:${o.action}:${o.dryRun}`), ['Namespace:created:false', 'ConfigMap:created:true', 'Deployment:created:true', 'ConfigMap:created:false', 'Deployment:created:false']);
    await assert.rejects(watchUntilReady(west, objects, { namespace: ns, timeoutMs: 1200, intervalMs: 200 }), (e: unknown) => {
      assert.ok(e instanceof ReadinessTimeout);
      assert.match(e.message, /not ready after 1s \(0\/1 workloads ready\); waiting on: Deployment never-ready: no status yet/);
      return true;
    });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(watchUntilReady(west, objects, { namespace: ns, timeoutMs: 60_000, intervalMs: 100, signal: abort.signal }), (e: unknown) => e instanceof KubeError && e.reason === 'cancelled');
  });

  test('the dry run refuses an invalid object and nothing else is written', async () => {
    const ns = `sec-invalid-${Date.now().toString(36)}`;
    const objects = parseManifest(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gitops-agent}\ndata: {a: b}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec: {replicas: 1}\n`, ns);
    await assert.rejects(applyManifest(west, objects, { namespace: ns }), (e: unknown) => {
      assert.ok(e instanceof ApplyError);
      assert.equal(e.phase, 'dryRun');
      assert.match(e.message, /the dry run refused Deployment broken: .*Nothing else was written\. Namespace sec-invalid-\w+ was created for the dry run and is empty/);
      return true;
    });
    assert.equal(await west.get(CONFIG_MAP, ns, 'gitops-agent'), undefined);
  });

  test('a kind the cluster does not serve is refused before anything is applied', async () => {
    const objects = parseManifest(`apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n`, 'harness-gitops');
    await assert.rejects(applyManifest(west, objects, { namespace: 'harness-gitops' }), /does not serve these kinds of the manifest \(nothing was applied\): example\.com\/v1 Widget w/);
  });
});
