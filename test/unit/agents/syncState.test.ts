// Whether an agent is fenced, from the sync windows of its AppProjects at a given time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncStateOf } from '../../../src/core/agents/syncState';
import { ourDenyWindow, type AppProject, type SyncWindow } from '../../../src/core/syncWindows/model';

const project = (name: string, windows?: SyncWindow[]): AppProject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name }, spec: windows ? { syncWindows: windows } : {} });
const now = new Date('2026-12-02T13:30:00Z');

test('every AppProject under a deny window in force: fenced', () => {
  assert.deepEqual(syncStateOf([project('a', [ourDenyWindow()]), project('b', [ourDenyWindow()])], now), { state: 'fenced', blocked: 2, projects: 2 });
});

test('one of two AppProjects blocked: partly fenced; a deny window for some applications only: partly', () => {
  assert.deepEqual(syncStateOf([project('a', [ourDenyWindow()]), project('b')], now), { state: 'partly', blocked: 1, projects: 2 });
  assert.equal(syncStateOf([project('a', [ourDenyWindow({ applications: ['web-*'] })])], now).state, 'partly');
});

test('no windows, a deny window not in force now, or no AppProjects at all: open', () => {
  assert.equal(syncStateOf([project('a'), project('b', [])], now).state, 'open');
  // 02:00-03:00 only: not in force at 13:30.
  assert.equal(syncStateOf([project('a', [{ kind: 'deny', schedule: '0 2 * * *', duration: '1h', applications: ['*'] }])], now).state, 'open');
  assert.deepEqual(syncStateOf([], now), { state: 'open', blocked: 0, projects: 0 });
});
