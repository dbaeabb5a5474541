import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sanitiseForBackup } from '../../../src/core/backup/sanitise';

test('sanitise: metadata keeps name, labels, annotations, finalizers; other fields kept as they came', () => {
  const out = sanitiseForBackup(
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'app',
        namespace: 'argocd',
        uid: 'u',
        resourceVersion: '1',
        generation: 3,
        creationTimestamp: '2024-01-01T00:00:00Z',
        labels: { a: 'b' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
        finalizers: ['f'],
        ownerReferences: [{ name: 'x' }],
        managedFields: [],
      },
      spec: { project: 'default' },
      status: { sync: { status: 'Synced' } },
      operation: { sync: {} },
    },
    'argocd',
  );
  assert.deepEqual(out, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'app', labels: { a: 'b' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, finalizers: ['f'] },
    spec: { project: 'default' },
    status: { sync: { status: 'Synced' } },
    operation: { sync: {} },
  });
});

test('sanitise: namespace only when it differs from the Argo CD namespace', () => {
  assert.deepEqual(sanitiseForBackup({ kind: 'Application', apiVersion: 'v', metadata: { name: 'a', namespace: 'team-a' } }, 'argocd').metadata, { name: 'a', namespace: 'team-a' });
  assert.deepEqual(sanitiseForBackup({ kind: 'Application', apiVersion: 'v', metadata: { name: 'a', namespace: 'argocd' } }, 'argocd').metadata, { name: 'a' });
});

test('sanitise: Secret data, stringData, binaryData and type stay as the API returned them', () => {
  const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { k: 'dg==' }, stringData: { x: 'y' }, immutable: true };
  assert.deepEqual(sanitiseForBackup(s, 'argocd'), s);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { b: 'AA==' } };
  assert.deepEqual(sanitiseForBackup(cm, 'argocd'), cm);
});

test('sanitise: accessor semantics of Argo CD (empty maps kept, malformed ones dropped, null label values read as "")', () => {
  const out = sanitiseForBackup({ metadata: { name: '', labels: {}, annotations: { a: null, b: 1 }, finalizers: [] } } as never, 'argocd');
  assert.deepEqual(out, { apiVersion: '', kind: '', metadata: { labels: {}, finalizers: [] } });
  const nulls = sanitiseForBackup({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: null } } } as never, 'argocd');
  assert.deepEqual(nulls.metadata, { name: 'x', labels: { a: '' } });
  assert.equal(sanitiseForBackup({ apiVersion: 'v1', kind: 'X' }, 'argocd').metadata, undefined);
});

test('sanitise: the input object is not changed', () => {
  const input = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', uid: 'u' }, data: { a: 'b' } };
  const copy = structuredClone(input);
  sanitiseForBackup(input, 'argocd');
  assert.deepEqual(input, copy);
});
