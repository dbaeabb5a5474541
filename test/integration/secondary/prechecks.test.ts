// Pre-checks of a secondary DR agent on the real test clusters: the demo passes (or warns with reasons) for a
// secondary of `lab` on `west` and fails on `lab` itself; each rule-break scenario makes its check FAIL.
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { scenario, type ScenarioClusters } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { runCli } from '../../../src/cli/main';
import { SEED_WARNING } from '../../../src/core/failover/hazard';
import type { SecondaryCheckReport } from '../../../src/core/secondary/model';
import type { CrdObject } from '../../../src/core/secondary/crdSchema';
import { clientFor } from '../restore/support';
import type { KubeClient } from '../../../src/core/kube/client';
import { FakeHarness } from '../../support/fakeHarness';
import { NAMESPACE, STATEFUL_SET } from '../../../src/core/objects/resources';

async function check(kubeconfigs: string[], args: string[]): Promise<{ code: number; report?: SecondaryCheckReport; err: string }> {
  const io = captureIO('', { ...process.env, HARNESS_API_KEY: '' });
  const code = await runCli(['secondary', 'check', ...kubeconfigs.flatMap((k) => ['--kubeconfig', k]), '--timeout', '3', '-o', 'json', ...args], io);
  return { code, ...(code <= 1 ? { report: JSON.parse(io.out()) as SecondaryCheckReport } : {}), err: io.err() };
}

function statusOf(r: SecondaryCheckReport | undefined, id: string): string | undefined {
  return r?.checks.find((c) => c.id === id)?.status;
}

function detailOf(r: SecondaryCheckReport | undefined, id: string): string {
  return r?.checks.find((c) => c.id === id)?.detail ?? '';
}

/** Deletes a namespace the test made and finalizes it: no namespace controller runs here, so it would stay Terminating. */
async function removeNamespace(client: KubeClient, name: string): Promise<void> {
  const live = await client.get(NAMESPACE, undefined, name);
  if (!live) return;
  if (!live.metadata?.deletionTimestamp) await client.delete(NAMESPACE, undefined, name);
  const again = await client.get(NAMESPACE, undefined, name);
  if (again) await client.request(`/api/v1/namespaces/${name}/finalize`, { method: 'PUT', body: { ...again, spec: { finalizers: [] } } });
}

describe('secondary pre-checks on the demo clusters', () => {
  let demo: ScenarioClusters;
  before(async () => {
    demo = await scenario('demo');
  });

  test('lab on west: every check passes or warns, each warning with a reason and what to do', async () => {
    const { code, report } = await check([demo.kubeconfig], ['--agent', 'lab/harness-gitops', '--context', 'west']);
    assert.equal(code, 0);
    assert.ok(report!.ok);
    assert.deepEqual(report!.checks.map((c) => c.id), ['target', 'namespace', 'type', 'hazard', 'drIdentifier', 'permissions', 'versions']);
    assert.ok(report!.checks.every((c) => c.status !== 'fail'));
    for (const c of report!.checks.filter((x) => x.status === 'warn')) assert.ok(c.detail.length > 0 && (c.action ?? '').length > 0, c.title);
    assert.equal(statusOf(report, 'target'), 'pass');
    assert.match(detailOf(report, 'namespace'), /namespace harness-gitops does not exist on west: the install creates it/);
    assert.match(detailOf(report, 'type'), /HA: west has 0 nodes; redis-ha needs 3/);
    assert.equal(report!.target.drIdentifier, 'west');
    // The demo installs Argo CD v2.14.9 (the Harness agent's Argo CD): the image tag names it.
    assert.equal(report!.primary.argoCdVersion, 'v2.14.9');
    assert.match(detailOf(report, 'versions'), /Argo CD v2\.14\.9\b.*\| Kubernetes v1\.36\.\d+/);
  });

  test('lab on lab: FAIL, the same cluster (and the namespace holds the primary itself)', async () => {
    const { code, report } = await check([demo.kubeconfig], ['--agent', 'lab/harness-gitops', '--context', 'lab']);
    assert.equal(code, 1);
    assert.equal(report!.ok, false);
    assert.equal(statusOf(report, 'target'), 'fail');
    assert.match(detailOf(report, 'target'), /reaches the primary's own cluster .*cannot be deployed to the same cluster/);
    assert.equal(statusOf(report, 'namespace'), 'fail');
    assert.match(detailOf(report, 'namespace'), /holds the primary's own install/);
  });

  test('east on west: the existing secondary is recognised (updated in place)', async () => {
    const { code, report } = await check([demo.kubeconfig], ['--agent', 'east/argocd', '--context', 'west']);
    assert.equal(code, 0);
    assert.match(detailOf(report, 'namespace'), /already holds this agent's secondary \(DR identifier west\): the install updates it in place/);
    assert.equal(statusOf(report, 'hazard'), 'pass');
  });

  test('DR identifier taken by the primary, or not a Harness identifier: FAIL', async () => {
    const taken = await check([demo.kubeconfig], ['--agent', 'east/argocd', '--context', 'west', '--dr-identifier', 'east']);
    assert.equal(statusOf(taken.report, 'drIdentifier'), 'fail');
    assert.match(detailOf(taken.report, 'drIdentifier'), /already used by east\/argocd/);
    const invalid = await check([demo.kubeconfig], ['--agent', 'lab/harness-gitops', '--context', 'west', '--dr-identifier', 'west-1']);
    assert.equal(statusOf(invalid.report, 'drIdentifier'), 'fail');
    assert.match(detailOf(invalid.report, 'drIdentifier'), /not a Harness identifier/);
  });

  test('an identity that may not create the install\'s kinds: FAIL naming them (SelfSubjectAccessReview)', async () => {
    const { report } = await check([demo.kubeconfig, demo.limitedKubeconfig], ['--agent', 'lab/harness-gitops', '--context', 'west-limited']);
    assert.equal(statusOf(report, 'permissions'), 'fail');
    assert.match(detailOf(report, 'permissions'), /denies: create\/patch namespaces \(cluster-wide\);.*create\/patch\/get secrets in harness-gitops/);
  });

  test('an unreachable target: FAIL with the reason, no other check', async () => {
    const { code, report } = await check([demo.kubeconfig], ['--agent', 'lab/harness-gitops', '--context', 'offline']);
    assert.equal(code, 1);
    assert.deepEqual(report!.checks.map((c) => [c.id, c.status]), [['target', 'fail']]);
    assert.match(detailOf(report, 'target'), /offline is unreachable: timeout/);
  });

  test('bad input: unknown agent, unknown context, missing flags: exit 2 with what to give', async () => {
    const unknown = await check([demo.kubeconfig], ['--agent', 'nope/ns', '--context', 'west']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no agent "nope\/ns".*known: .*lab\/harness-gitops/);
    const noCtx = await check([demo.kubeconfig], ['--agent', 'lab/harness-gitops', '--context', 'mars']);
    assert.equal(noCtx.code, 2);
    assert.match(noCtx.err, /context "mars" is not in the kubeconfig/);
    const missing = await check([demo.kubeconfig], ['--agent', 'lab/harness-gitops']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--context is required/);
  });
});

describe('secondary pre-checks with the Harness stand-in (an API key): what Harness says can fail a check', () => {
  const KEY = 'pat.kmpy.prechecks.TESTKEY7';
  const ACCOUNT = 'kmpySmUISimoRrJL6NL73w';
  let demo: ScenarioClusters;
  let fake: FakeHarness;
  before(async () => {
    demo = await scenario('demo');
    fake = await FakeHarness.start({
      apiKeys: [KEY],
      nodes: [
        // labagent without disaster recovery in Harness; dragent with its pair and a third node in another namespace.
        { account: ACCOUNT, identifier: 'labagent', name: 'Lab agent', namespace: 'harness-gitops', highAvailability: true },
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'east', type: 'PRIMARY', namespace: 'argocd' },
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'west', type: 'SECONDARY', namespace: 'argocd' },
        { account: ACCOUNT, org: 'default', project: 'gitops_dr_demo', identifier: 'dragent', drIdentifier: 'lab_dr', type: 'SECONDARY', namespace: 'other-ns' },
      ],
    });
  });
  after(async () => {
    await fake?.close();
  });
  const withKey = async (args: string[]): Promise<SecondaryCheckReport> => {
    const io = captureIO('', { ...process.env, HARNESS_API_KEY: KEY, HARNESS_BASE_URL: fake.url });
    const code = await runCli(['secondary', 'check', '--kubeconfig', demo.kubeconfig, '--timeout', '3', '-o', 'json', ...args], io);
    assert.ok(code <= 1, io.err());
    return JSON.parse(io.out()) as SecondaryCheckReport;
  };

  test('Harness shows the primary without DR and its install has no DR identifier: "hazard" FAILs with what to turn on', async () => {
    const report = await withKey(['--agent', 'lab/harness-gitops', '--context', 'west']);
    assert.equal(statusOf(report, 'hazard'), 'fail');
    assert.match(detailOf(report, 'hazard'), /Harness shows agent labagent without disaster recovery, and its install lab\/harness-gitops has no DR identifier/);
    assert.match(report.checks.find((c) => c.id === 'hazard')!.action ?? '', /turn on Disaster Recovery/);
  });

  test('a DR identifier Harness already has for another node of the agent: "drIdentifier" FAILs; the existing secondary\'s own passes', async () => {
    const taken = await withKey(['--agent', 'east/argocd', '--context', 'lab', '--dr-identifier', 'lab_dr']);
    assert.equal(statusOf(taken, 'drIdentifier'), 'fail');
    assert.match(detailOf(taken, 'drIdentifier'), /Harness already has DR node lab_dr of agent dragent \(SECONDARY, namespace other-ns\)/);
    const own = await withKey(['--agent', 'east/argocd', '--context', 'west']);
    assert.equal(statusOf(own, 'drIdentifier'), 'pass');
    assert.match(detailOf(own, 'drIdentifier'), /Harness already has this secondary node \(west, namespace argocd\): the install reuses it/);
  });
});

describe('secondary pre-checks on the rule-break scenarios', () => {
  test('rule-same-cluster: the alias context of the primary\'s cluster fails (kube-system UID, also via other contexts)', async () => {
    const s = await scenario('rule-same-cluster');
    const { report } = await check([s.kubeconfig], ['--agent', 'same/argocd', '--context', 'same-alias']);
    assert.equal(statusOf(report, 'target'), 'fail');
    assert.match(detailOf(report, 'target'), /also reached through same\b/);
  });

  test('rule-type: a secondary of another type already there fails (HA: DR003, BYOA: DR004)', async () => {
    const s = await scenario('rule-type');
    const ha = await check([s.kubeconfig], ['--agent', 'type-east/argocd', '--context', 'type-west']);
    assert.equal(statusOf(ha.report, 'type'), 'fail');
    assert.match(detailOf(ha.report, 'type'), /is HA, Harness-managed Argo CD, the primary is NON-HA, Harness-managed Argo CD \(DR003\)/);
    const byoa = await check([s.kubeconfig], ['--agent', 'type-east/gitops-byoa', '--context', 'type-west']);
    assert.equal(statusOf(byoa.report, 'type'), 'fail');
    assert.match(detailOf(byoa.report, 'type'), /NON-HA, BYOA, the primary is NON-HA, Harness-managed Argo CD \(DR004\)/);
  });

  test('rule-type + demo: a BYOA primary needs an Argo CD in the target namespace', async () => {
    const s = await scenario('rule-type');
    const demo = await scenario('demo');
    const { report } = await check([s.kubeconfig, demo.kubeconfig], ['--agent', 'type-west/gitops-byoa', '--context', 'west', '--dr-identifier', 'demo_west']);
    assert.equal(statusOf(report, 'type'), 'fail');
    assert.match(detailOf(report, 'type'), /BYOA: .*namespace gitops-byoa on west has none/);
    assert.equal(statusOf(report, 'drIdentifier'), 'pass');
  });

  test('rule-type + demo: a BYOA primary and an Argo CD of another release line in the target namespace: FAIL "type"; the primary\'s line passes', async () => {
    const s = await scenario('rule-type');
    const demo = await scenario('demo');
    const west = await clientFor(demo, 'west');
    const args = ['--agent', 'type-west/gitops-byoa', '--context', 'west', '--dr-identifier', 'demo_west'];
    const controller = (image: string) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'argocd-application-controller', namespace: 'gitops-byoa' },
      spec: { selector: { matchLabels: { app: 'c' } }, serviceName: 'c', template: { metadata: { labels: { app: 'c' } }, spec: { containers: [{ name: 'argocd-application-controller', image }] } } },
    });
    await west.create(NAMESPACE, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gitops-byoa' } });
    try {
      await west.create(STATEFUL_SET, 'gitops-byoa', controller('quay.io/argoproj/argocd:v2.9.3'));
      const older = await check([s.kubeconfig, demo.kubeconfig], args);
      assert.equal(statusOf(older.report, 'type'), 'fail');
      const detail = detailOf(older.report, 'type');
      const primaryVersion = /^BYOA: the primary runs Argo CD (v\S+), west\/gitops-byoa runs v2\.9\.3: a restore between them may not round-trip$/.exec(detail)?.[1];
      assert.ok(primaryVersion, detail);
      assert.notEqual(primaryVersion.split('.').slice(0, 2).join('.'), 'v2.9', 'the primary is on another line than the target');
      await west.delete(STATEFUL_SET, 'gitops-byoa', 'argocd-application-controller');
      await west.create(STATEFUL_SET, 'gitops-byoa', controller(`quay.io/argoproj/argocd:${primaryVersion}`));
      const same = await check([s.kubeconfig, demo.kubeconfig], args);
      assert.notEqual(statusOf(same.report, 'type'), 'fail', detailOf(same.report, 'type'));
      assert.match(detailOf(same.report, 'type'), new RegExp(`BYOA: Argo CD ${primaryVersion.replace(/\./g, '\\.')} in gitops-byoa, the primary's release line`));
    } finally {
      await west.delete(STATEFUL_SET, 'gitops-byoa', 'argocd-application-controller').catch(() => undefined);
      await removeNamespace(west, 'gitops-byoa');
      west.close();
    }
  });

  test('rule-no-dr: a running agent without DR identifier shares the identity: FAIL with the seed\'s warning', async () => {
    const s = await scenario('rule-no-dr');
    const { report } = await check([s.kubeconfig], ['--agent', 'nodr-east/argocd', '--context', 'nodr-west']);
    assert.equal(statusOf(report, 'hazard'), 'fail');
    assert.ok(detailOf(report, 'hazard').includes(SEED_WARNING));
    assert.equal(statusOf(report, 'namespace'), 'fail');
    assert.match(detailOf(report, 'namespace'), /already holds agent nodragent \(no DR identifier\)/);
  });

  test('rule-namespace: another namespace than the primary\'s fails; the primary\'s (free) namespace passes', async () => {
    const s = await scenario('rule-namespace');
    const other = await check([s.kubeconfig], ['--agent', 'ns-east/argocd', '--context', 'ns-west', '--namespace', 'gitops']);
    assert.equal(statusOf(other.report, 'namespace'), 'fail');
    assert.match(detailOf(other.report, 'namespace'), /Same namespace must be used on both clusters/);
    const same = await check([s.kubeconfig], ['--agent', 'ns-east/argocd', '--context', 'ns-west', '--dr-identifier', 'west2']);
    assert.equal(statusOf(same.report, 'namespace'), 'pass');
  });

  test('rule-namespace: a Harness-managed target whose Application CRD is an older Argo CD\'s (no spec.sources): FAIL "type", and PASS again with the primary\'s CRD', async () => {
    const s = await scenario('rule-namespace');
    const west = await clientFor(s, 'ns-west');
    const path = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.argoproj.io';
    const original = await west.request<CrdObject>(path);
    // Argo CD before 2.6 had no multi-source Applications: its CRD is this one without spec.sources. ns-west holds
    // no Application, so nothing stored is pruned while it is in place.
    const older = structuredClone(original);
    const specFields = (crd: CrdObject): Record<string, unknown> =>
      (crd as unknown as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }> } }).spec.versions.find((v) => v.name === 'v1alpha1')!.schema.openAPIV3Schema.properties.spec.properties;
    assert.ok(specFields(older).sources, 'the seeded CRD has spec.sources');
    delete specFields(older).sources;
    const args = ['--agent', 'ns-east/argocd', '--context', 'ns-west', '--dr-identifier', 'west2'];
    try {
      await west.request(path, { method: 'PUT', body: older });
      const { code, report } = await check([s.kubeconfig], args);
      assert.equal(code, 1);
      assert.equal(report!.ok, false);
      assert.equal(statusOf(report, 'type'), 'fail');
      assert.match(detailOf(report, 'type'), /CRD applications\.argoproj\.io on ns-west is of an older Argo CD than the primary's v2\.14\.9: its schema lacks spec\.sources; .*drop those fields from every restored object/);
      assert.match(report!.checks.find((c) => c.id === 'type')!.action ?? '', /Upgrade the Argo CD CRDs on the target/);
    } finally {
      const live = await west.request<CrdObject>(path);
      await west.request(path, { method: 'PUT', body: { ...original, metadata: { ...original.metadata, resourceVersion: live.metadata!.resourceVersion } } });
    }
    const again = await check([s.kubeconfig], args);
    assert.equal(statusOf(again.report, 'type'), 'pass', detailOf(again.report, 'type'));
    assert.match(detailOf(again.report, 'type'), /CRDs present on ns-west \(3\/3, serving v1alpha1, every field of the primary's CRDs in their schemas\)/);
    west.close();
  });

  test('rule-namespace: a CRD that no longer serves v1alpha1 (another Argo CD\'s) FAILs "type"', async () => {
    const s = await scenario('rule-namespace');
    const west = await clientFor(s, 'ns-west');
    const path = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/appprojects.argoproj.io';
    const original = await west.request<CrdObject>(path);
    const args = ['--agent', 'ns-east/argocd', '--context', 'ns-west', '--dr-identifier', 'west2'];
    try {
      const changed = structuredClone(original);
      for (const v of changed.spec!.versions!) v.served = false;
      await west.request(path, { method: 'PUT', body: changed });
      const { report } = await check([s.kubeconfig], args);
      assert.equal(statusOf(report, 'type'), 'fail');
      assert.match(detailOf(report, 'type'), /CRD appprojects\.argoproj\.io on ns-west serves no version, not v1alpha1: another Argo CD at an incompatible version owns it/);
    } finally {
      const live = await west.request<CrdObject>(path);
      await west.request(path, { method: 'PUT', body: { ...original, metadata: { ...original.metadata, resourceVersion: live.metadata!.resourceVersion } } });
      west.close();
    }
  });

  test('rule-namespace: the namespace runs an Argo CD without a Harness agent (FAIL for Harness-managed), then is Terminating (FAIL)', async () => {
    const s = await scenario('rule-namespace');
    const west = await clientFor(s, 'ns-west');
    const args = ['--agent', 'ns-east/argocd', '--context', 'ns-west', '--dr-identifier', 'west2'];
    await west.create(NAMESPACE, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
    try {
      await west.create(STATEFUL_SET, 'argocd', {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'argocd-application-controller', namespace: 'argocd' },
        spec: { selector: { matchLabels: { app: 'c' } }, serviceName: 'c', template: { metadata: { labels: { app: 'c' } }, spec: { containers: [{ name: 'argocd-application-controller', image: 'quay.io/argoproj/argocd:v2.13.4' }] } } },
      });
      const foreign = await check([s.kubeconfig], args);
      assert.equal(statusOf(foreign.report, 'namespace'), 'fail');
      assert.match(detailOf(foreign.report, 'namespace'), /namespace argocd on ns-west already runs an Argo CD \(v2\.13\.4\) without a Harness agent; a Harness-managed install would take it over/);
      await west.delete(STATEFUL_SET, 'argocd', 'argocd-application-controller');
      await west.delete(NAMESPACE, undefined, 'argocd'); // stays Terminating: no namespace controller runs here
      const terminating = await check([s.kubeconfig], args);
      assert.equal(statusOf(terminating.report, 'namespace'), 'fail');
      assert.match(detailOf(terminating.report, 'namespace'), /namespace argocd on ns-west is being deleted \(Terminating\)/);
    } finally {
      await west.delete(STATEFUL_SET, 'argocd', 'argocd-application-controller').catch(() => undefined);
      await removeNamespace(west, 'argocd');
      west.close();
    }
    // The namespace is free again: the check passes it.
    assert.equal(statusOf((await check([s.kubeconfig], args)).report, 'namespace'), 'pass');
  });
});
