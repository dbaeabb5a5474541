import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { objectsEqual, needsOperationStop } from '../../../src/core/restore/equality';
import { app, appSet, cm, project, secret } from './fixtures';

test('labels, annotations and finalizers decide equality; last-applied-configuration is ignored', () => {
  const a = cm('argocd-cm', { x: '1' });
  const b = structuredClone(a);
  b.metadata!.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}' };
  assert.equal(objectsEqual(a, b), true);
  b.metadata!.annotations = { other: 'x' };
  assert.equal(objectsEqual(a, b), false);
  const c = structuredClone(a);
  c.metadata!.labels = { changed: 'yes' };
  assert.equal(objectsEqual(a, c), false);
  const d = app('x');
  const e = app('x', { finalizers: ['resources-finalizer.argocd.argoproj.io'] });
  assert.equal(objectsEqual(d, e), false);
});

test('an absent map, an empty map and null are equal (the API server never stores empty labels)', () => {
  const a = cm('argocd-tls-certs-cm');
  delete a.metadata!.labels;
  delete a.data;
  const b = structuredClone(a);
  b.metadata!.labels = {};
  b.metadata!.annotations = {};
  b.metadata!.finalizers = [];
  b.data = {};
  assert.equal(objectsEqual(a, b), true);
  const c = app('x');
  (c.spec as Record<string, unknown>).info = null;
  assert.equal(objectsEqual(app('x'), c), true);
});

test('ConfigMap and Secret compare data; Secret type and other fields do not count', () => {
  assert.equal(objectsEqual(cm('a', { k: '1' }), cm('a', { k: '2' })), false);
  assert.equal(objectsEqual(cm('a', { k: '1' }), { ...cm('a', { k: '1' }), binaryData: { b: 'AA==' } }), false);
  assert.equal(objectsEqual(secret('r', { password: 'a' }), secret('r', { password: 'b' })), false);
  assert.equal(objectsEqual(secret('r', { password: 'a' }), { ...secret('r', { password: 'a' }), type: 'kubernetes.io/basic-auth' }), true);
});

test('AppProject compares spec and ignores status', () => {
  const p = project('p');
  assert.equal(objectsEqual(p, { ...project('p'), status: { jwtTokensByRole: {} } }), true);
  assert.equal(objectsEqual(p, project('p', { sourceRepos: ['https://x'] })), false);
});

test('Application compares spec and status minus reconciledAt and observedAt', () => {
  const a = app('g', { status: { sync: { status: 'Synced' }, reconciledAt: 't1', observedAt: 't1' } });
  const b = app('g', { status: { sync: { status: 'Synced' }, reconciledAt: 't2', observedAt: 't2' } });
  assert.equal(objectsEqual(a, b), true);
  const c = app('g', { status: { sync: { status: 'OutOfSync' }, reconciledAt: 't1' } });
  assert.equal(objectsEqual(a, c), false);
  assert.equal(objectsEqual(app('g', { revision: 'v2' }), app('g')), false);
});

test('an Application backup without status does not compare status (a restore could never make it equal)', () => {
  const live = app('g', { status: { sync: { status: 'Synced' } } });
  assert.equal(objectsEqual(app('g'), live), true);
});

test('ApplicationSets that are equal are equal (Argo CD reports them updated forever); status does not count', () => {
  assert.equal(objectsEqual(appSet('s'), appSet('s', { conditions: [] })), true);
  const changed = appSet('s');
  (changed.spec as Record<string, unknown>).goTemplate = true;
  assert.equal(objectsEqual(appSet('s'), changed), false);
});

test('map key order does not matter, list order does', () => {
  const a = project('p', { sourceRepos: ['a', 'b'], destinations: [{ server: '*', namespace: '*' }] });
  const b = project('p', { destinations: [{ namespace: '*', server: '*' }], sourceRepos: ['a', 'b'] });
  assert.equal(objectsEqual(a, b), true);
  assert.equal(objectsEqual(a, project('p', { sourceRepos: ['b', 'a'], destinations: [{ server: '*', namespace: '*' }] })), false);
});

test('stop operation is needed only for a live Application with an operation', () => {
  const live = app('g', { operation: { sync: { revision: 'abc' } } });
  assert.equal(needsOperationStop(live, true), true);
  assert.equal(needsOperationStop(live, false), false);
  assert.equal(needsOperationStop(app('g'), true), false);
});
