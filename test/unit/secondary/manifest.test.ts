import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { inApplyOrder, MASK, parseManifest, renderMasked } from '../../../src/core/secondary/manifest';
import { kubernetesCompat, argoCdVersionOf } from '../../../src/core/secondary/versions';
import { defaultDrIdentifier } from '../../../src/core/secondary/prechecks';
import { stateOf } from '../../../src/core/secondary/watch';
import { verifyManifestIdentity } from '../../../src/core/secondary/install';
import type { SecondaryCheckReport } from '../../../src/core/secondary/model';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: gitops-agent}
---
apiVersion: v1
kind: Secret
metadata: {name: gitops-agent}
stringData: {GITOPS_AGENT_TOKEN: tok-SECRET-123}
data: {other: c2VjcmV0}
---
---
apiVersion: v1
kind: ConfigMap
metadata: {name: gitops-agent, namespace: argocd}
data: {GITOPS_ACCOUNT_IDENTIFIER: a1, GITOPS_AGENT_IDENTIFIER: ag, GITOPS_DISASTER_RECOVERY_IDENTIFIER: west, GITOPS_AGENT_AVAILABILITY_MODE: NON-HA}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: applications.argoproj.io}
---
apiVersion: v1
kind: Namespace
metadata: {name: argocd}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ag-agent-west}
`;

const report = (dr = 'west'): SecondaryCheckReport => ({
  primary: { id: 'east/argocd', context: 'east', namespace: 'argocd', identity: { account: 'a1', agent: 'ag' }, drIdentifier: 'east', availability: 'NON-HA', byoa: false, clusterId: 'u1' },
  target: { context: 'west', namespace: 'argocd', drIdentifier: dr },
  checks: [],
  ok: true,
});

describe('install manifest', () => {
  test('parsed in a safe order: namespace, CRDs, RBAC, config, workloads', () => {
    const order = inApplyOrder(parseManifest(MANIFEST, 'argocd')).map((o) => o.kind);
    assert.deepEqual(order, ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'Secret', 'ConfigMap', 'Deployment']);
  });

  test('rendered for review with every Secret value masked', () => {
    const text = renderMasked(parseManifest(MANIFEST, 'argocd'));
    assert.ok(!text.includes('tok-SECRET-123') && !text.includes('c2VjcmV0'), text);
    assert.match(text, new RegExp(`GITOPS_AGENT_TOKEN: "?${MASK.replace(/\*/g, '\\*')}`));
    assert.match(text, /GITOPS_AGENT_IDENTIFIER: ag/);
  });

  test('bad input names the document and line; nothing half-parsed', () => {
    assert.throws(() => parseManifest('kind: [unclosed\n', 'argocd'), /document 1 \(line 1\)/);
    assert.throws(() => parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n- a list\n', 'argocd'), /document 2 \(line 5\): not a Kubernetes object/);
    assert.throws(() => parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: other}\n', 'argocd'), /for namespace "other", not the agent namespace "argocd"/);
    assert.throws(() => parseManifest('apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n', 'argocd'), /creates namespace "other"/);
    assert.throws(() => parseManifest('kind: ConfigMap\n', 'argocd'), /missing apiVersion, kind or metadata.name/);
    assert.throws(() => parseManifest('', 'argocd'), /holds no Kubernetes objects/);
  });

  test('a manifest of another DR node or agent is refused', () => {
    const objects = parseManifest(MANIFEST, 'argocd');
    verifyManifestIdentity(objects, report());
    assert.throws(() => verifyManifestIdentity(objects, report('south')), /DR identifier GITOPS_DISASTER_RECOVERY_IDENTIFIER=west \(expected south\)/);
    assert.throws(() => verifyManifestIdentity(parseManifest('apiVersion: v1\nkind: Service\nmetadata: {name: s}\n', 'argocd'), report()), /no ConfigMap gitops-agent/);
  });
});

describe('versions and identifiers', () => {
  test('Argo CD version from the image tag, else the argo-cd chart label', () => {
    assert.equal(argoCdVersionOf([{ metadata: { name: 'argocd-repo-server' }, spec: { template: { spec: { containers: [{ image: 'quay.io/argoproj/argocd:v3.1.5' }] } } } }]).version, 'v3.1.5');
    assert.equal(argoCdVersionOf([{ metadata: { name: 'argocd-repo-server', labels: { 'helm.sh/chart': 'argo-cd-7.7.11' } }, spec: { template: { spec: { containers: [{ image: 'quay.io/argoproj/argocd:latest' }] } } } }]).version, 'v2.13');
    assert.equal(argoCdVersionOf([]).version, undefined);
  });

  test('Kubernetes compatibility: pass inside the tested range, warn outside or unknown', () => {
    assert.equal(kubernetesCompat({ version: 'v2.13', source: 's' }, 'v1.30.2').status, 'pass');
    assert.match(kubernetesCompat({ version: 'v2.13', source: 's' }, 'v1.36.3').detail, /1\.36 is newer/);
    assert.equal(kubernetesCompat({ source: 'none' }, 'v1.30.2').status, 'warn');
  });

  test('default DR identifier is a Harness identifier made from the context', () => {
    assert.equal(defaultDrIdentifier('kind-west.2'), 'kind_west_2');
    assert.equal(defaultDrIdentifier('9lives'), '_9lives');
  });

  test('workload readiness, with the reason when not ready', () => {
    assert.equal(stateOf('Deployment', 'd', { spec: { replicas: 2 }, status: { readyReplicas: 2 } }).isReady, true);
    assert.match(stateOf('Deployment', 'd', { spec: { replicas: 1 } }).reason!, /no status yet/);
    assert.match(stateOf('Deployment', 'd', { spec: { replicas: 1 }, status: { readyReplicas: 0, observedGeneration: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }] } }).reason!, /Available: MinimumReplicasUnavailable/);
    assert.match(stateOf('StatefulSet', 's', undefined).reason!, /not found/);
  });
});
