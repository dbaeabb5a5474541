// The restore target picker never offers the backup's own source first: it goes last (before unreachable
// contexts), marked as the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetPickItems } from '../../../src/extension/restore/targetPickItems';
import type { ContextStatus } from '../../../src/core/agents/model';
import { agent } from '../agents/fixtures';

const east = agent({ context: 'east', drIdentifier: 'east' });
const west = agent({ context: 'west', drIdentifier: 'west' });
const contexts = [{ name: 'east' }, { name: 'west' }, { name: 'offline' }, { name: 'spare', namespace: 'argocd' }];
const known: ContextStatus[] = [{ name: 'offline', isCurrent: false, state: 'unreachable', reason: 'timeout', agents: [] }];

test('the source (east/argocd) and its context go after every other target, marked; unreachable contexts last', () => {
  const items = targetPickItems([east, west], contexts, known, { context: 'east', namespace: 'argocd' });
  assert.deepEqual(items.map((i) => i.label), ['west/argocd', 'west', 'spare', '$(arrow-left) east/argocd', 'east', '$(debug-disconnect) offline']);
  assert.equal(items[3]!.isSource, true);
  assert.match(items[3]!.description, /^the backup's source · agent drdemo · DR east$/);
  assert.match(items[4]!.description, /^the backup's source context/);
  assert.equal(items[0]!.isSource, undefined);
  assert.equal(items[5]!.unreachable, 'timeout');
});

test('another namespace of the source context is not the source; the bare context still goes with the source', () => {
  const other = agent({ context: 'east', namespace: 'argocd-2', identity: { account: 'acc', agent: 'two' } });
  const items = targetPickItems([east, other, west], contexts, known, { context: 'east', namespace: 'argocd' });
  assert.deepEqual(items.slice(0, 2).map((i) => i.label), ['east/argocd-2', 'west/argocd']);
  assert.equal(items.find((i) => i.label === 'east/argocd-2')!.isSource, undefined);
});

test('without a known source the kubeconfig order stays (agents, then contexts, unreachable last)', () => {
  const items = targetPickItems([east, west], contexts, known);
  assert.deepEqual(items.map((i) => i.context), ['east', 'west', 'east', 'west', 'spare', 'offline']);
  assert.ok(items.every((i) => !i.isSource));
});
