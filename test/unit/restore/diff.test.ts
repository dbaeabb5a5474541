import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diffForUpdate, diffValues } from '../../../src/core/restore/diff';
import { objectToUpdate } from '../../../src/core/restore/desired';
import { SECRET_PLACEHOLDER } from '../../../src/core/restore/types';
import { app, cm, secret } from './fixtures';

test('diff lists leaf paths: changed, added, removed, list items, keys with dots quoted', () => {
  const changes = diffValues(
    { spec: { source: { targetRevision: 'main' }, list: [1, 2, 3] }, data: { 'policy.csv': 'a', gone: 'x' } },
    { spec: { source: { targetRevision: 'v2' }, list: [1, 5] }, data: { 'policy.csv': 'b', added: 'y' } },
  );
  assert.deepEqual(changes, [
    { path: 'data.added', after: 'y' },
    { path: 'data.gone', before: 'x' },
    { path: 'data["policy.csv"]', before: 'a', after: 'b' },
    { path: 'spec.list[1]', before: 2, after: 5 },
    { path: 'spec.list[2]', before: 3 },
    { path: 'spec.source.targetRevision', before: 'main', after: 'v2' },
  ]);
});

test('diff stops after max changes and counts the rest', () => {
  const before = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i]));
  const changes = diffValues(before, {}, '', 10);
  assert.equal(changes.length, 11);
  assert.deepEqual(changes[10], { path: '…', after: '20 more changes' });
});

test('an update diff covers compared fields only, and shows labels under metadata', () => {
  const live = cm('argocd-cm', { url: 'https://old' });
  live.metadata = { ...live.metadata, resourceVersion: '7', uid: 'u', managedFields: [{ manager: 'x' }] } as never;
  const backup = cm('argocd-cm', { url: 'https://new' });
  backup.metadata!.labels = { team: 'ops' };
  const desired = objectToUpdate(backup, live, true);
  const changes = diffForUpdate(live, desired);
  assert.deepEqual(changes, [
    { path: 'data.url', before: 'https://old', after: 'https://new' },
    { path: 'metadata.labels["app.kubernetes.io/part-of"]', before: 'argocd' },
    { path: 'metadata.labels.team', after: 'ops' },
  ]);
  assert.equal(desired.metadata!.resourceVersion, '7', 'the update carries the live resourceVersion');
  assert.equal(desired.metadata!.managedFields, undefined);
});

test('Secret values never appear in a diff', () => {
  const live = secret('repo', { password: 'old-password-123', url: 'https://a' });
  const backup = secret('repo', { password: 'new-password-456', url: 'https://a', username: 'bob-the-user' });
  const changes = diffForUpdate(live, objectToUpdate(backup, live, true));
  const text = JSON.stringify(changes);
  for (const v of ['old-password-123', 'new-password-456', 'bob-the-user']) {
    assert.equal(text.includes(v) || text.includes(Buffer.from(v).toString('base64')), false, `leaked ${v}`);
  }
  assert.deepEqual(changes, [
    { path: 'data.password', before: SECRET_PLACEHOLDER, after: SECRET_PLACEHOLDER },
    { path: 'data.username', after: SECRET_PLACEHOLDER },
  ]);
});

test('a cleared operation shows as one removed field', () => {
  const live = app('g', { operation: { sync: { revision: 'abc' }, initiatedBy: { username: 'x' } } });
  const changes = diffForUpdate(live, objectToUpdate(app('g'), live, true), false);
  assert.deepEqual(changes, [{ path: 'operation', before: { sync: { revision: 'abc' }, initiatedBy: { username: 'x' } } }]);
});
