import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyPhases, pruneOrder } from '../../../src/core/restore/order';

const ref = (kind: string, name: string, namespace = 'argocd') => ({ ref: { group: kind === 'ConfigMap' || kind === 'Secret' ? '' : 'argoproj.io', kind, name, namespace } });

test('apply order: ConfigMaps and Secrets, then AppProjects, then Applications, then ApplicationSets', () => {
  const phases = applyPhases([ref('ApplicationSet', 's'), ref('Application', 'a'), ref('Secret', 'x'), ref('AppProject', 'p'), ref('ConfigMap', 'c'), ref('Application', 'b')]);
  assert.deepEqual(
    phases.map((p) => p.map((e) => `${e.ref.kind}/${e.ref.name}`)),
    [['Secret/x', 'ConfigMap/c'], ['AppProject/p'], ['Application/a', 'Application/b'], ['ApplicationSet/s']],
  );
});

test('prune order is fixed: ApplicationSets, Applications, AppProjects, Secrets, then namespace and name', () => {
  const sorted = pruneOrder([ref('Secret', 'b'), ref('AppProject', 'p'), ref('Application', 'z', 'team-a'), ref('Application', 'y'), ref('ApplicationSet', 's'), ref('Secret', 'a')]);
  assert.deepEqual(sorted.map((e) => `${e.ref.kind}/${e.ref.namespace}/${e.ref.name}`), [
    'ApplicationSet/argocd/s',
    'Application/argocd/y',
    'Application/team-a/z',
    'AppProject/argocd/p',
    'Secret/argocd/a',
    'Secret/argocd/b',
  ]);
});
