import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeHeldBack, heldBackApplications, inClusterApplications, isInClusterDestination, listNames, refreshPatch } from '../../../src/core/failover/applications';
import type { KubeObject } from '../../../src/core/objects/kubeObject';

const app = (name: string, extra: Partial<KubeObject> = {}, namespace?: string): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, ...(namespace ? { namespace } : {}) }, ...extra });

describe('Applications around a failover', () => {
  test('held back: OutOfSync, an operation requested, an unfinished operation; Synced or finished ones are not', () => {
    const apps = [
      app('synced', { status: { sync: { status: 'Synced' }, operationState: { phase: 'Succeeded' } } }),
      app('drifted', { status: { sync: { status: 'OutOfSync' }, operationState: { phase: 'Failed', message: 'boom' } } }),
      app('requested', { operation: { sync: { revision: 'abc' } }, status: { sync: { status: 'Synced' } } }, 'team-a'),
      app('blocked', { status: { sync: { status: 'Unknown' }, operationState: { phase: 'Running', message: 'Sync operation blocked by\n sync window' } } }),
      app('no-status'),
    ];
    assert.deepEqual(heldBackApplications(apps, 'argocd'), [
      { namespace: 'argocd', name: 'blocked', operation: 'Running', message: 'Sync operation blocked by sync window' },
      { namespace: 'argocd', name: 'drifted', syncStatus: 'OutOfSync' },
      { namespace: 'team-a', name: 'requested', operation: 'requested' },
    ]);
    assert.equal(describeHeldBack({ namespace: 'argocd', name: 'a', syncStatus: 'OutOfSync', operation: 'Running', message: 'm' }), 'argocd/a: OutOfSync; operation Running (m)');
  });

  test('a long operation message is shortened', () => {
    const [h] = heldBackApplications([app('a', { status: { operationState: { phase: 'Running', message: 'x'.repeat(500) } } })], 'argocd');
    assert.equal(h!.message!.length, 160);
  });

  test('in-cluster: by server (trailing slash too) or by the name in-cluster; other servers and names are not', () => {
    assert.equal(isInClusterDestination({ server: 'https://kubernetes.default.svc' }), true);
    assert.equal(isInClusterDestination({ server: 'https://kubernetes.default.svc/' }), true);
    assert.equal(isInClusterDestination({ name: 'in-cluster' }), true);
    assert.equal(isInClusterDestination({ server: 'https://kubernetes.default.svc.cluster.local' }), false);
    assert.equal(isInClusterDestination({ name: 'prod-east' }), false);
    assert.equal(isInClusterDestination(undefined), false);
    const objects: KubeObject[] = [
      app('b', { spec: { destination: { name: 'in-cluster', namespace: 'x' } } }),
      app('a', { spec: { destination: { server: 'https://kubernetes.default.svc', namespace: 'x' } } }, 'team-a'),
      app('c', { spec: { destination: { server: 'https://prod.example:6443' } } }),
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'gen', namespace: 'argocd' }, spec: { template: { spec: { destination: { server: 'https://kubernetes.default.svc' } } } } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'templated', namespace: 'argocd' }, spec: { template: { spec: { destination: { server: '{{server}}' } } } } },
    ];
    assert.deepEqual(inClusterApplications(objects, 'argocd'), [
      { namespace: 'argocd', name: 'b' },
      { namespace: 'argocd', name: 'gen (ApplicationSet template)' },
      { namespace: 'team-a', name: 'a' },
    ]);
  });

  test('the refresh patch is Argo CD refresh annotation with "normal"; names are listed with a limit', () => {
    assert.deepEqual(refreshPatch(), { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } });
    const names = Array.from({ length: 12 }, (_, i) => ({ namespace: 'argocd', name: `a${i}` }));
    assert.equal(listNames(names, 2), 'argocd/a0, argocd/a1 and 10 more');
    assert.equal(listNames(names.slice(0, 1)), 'argocd/a0');
  });
});
