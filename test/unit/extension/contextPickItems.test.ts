// Pickers mark the contexts the tree knows are unreachable (with the reason) and list them after the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextPickItems } from '../../../src/extension/contextPickItems';
import type { ContextStatus } from '../../../src/core/agents/model';

const status = (name: string, state: ContextStatus['state'], reason?: string): ContextStatus => ({ name, isCurrent: false, state, agents: [], ...(reason ? { reason } : {}) });

test('an unreachable context is marked with its reason and listed last; the others keep their order', () => {
  const items = contextPickItems(
    [{ name: 'lab', server: 'https://127.0.0.1:1' }, { name: 'east', server: 'https://127.0.0.1:2', namespace: 'argocd' }, { name: 'west' }],
    [status('lab', 'unreachable', 'connect ECONNREFUSED 127.0.0.1:1'), status('east', 'reachable'), status('west', 'probing')],
  );
  assert.deepEqual(items.map((i) => i.context), ['east', 'west', 'lab']);
  assert.deepEqual(items[2], { label: '$(debug-disconnect) lab', description: 'unreachable: connect ECONNREFUSED 127.0.0.1:1', context: 'lab', unreachable: 'connect ECONNREFUSED 127.0.0.1:1' });
  assert.deepEqual(items[0], { label: 'east', description: 'namespace argocd · https://127.0.0.1:2', context: 'east', namespace: 'argocd' });
  assert.equal(items[1]!.unreachable, undefined, 'a context still being probed is not called unreachable');
});

test('without a tree (nothing known yet) nothing is marked', () => {
  const items = contextPickItems([{ name: 'a' }, { name: 'b' }], undefined);
  assert.deepEqual(items.map((i) => [i.label, i.unreachable]), [['a', undefined], ['b', undefined]]);
});

test('an unreachable context without a reason says "no answer"', () => {
  assert.equal(contextPickItems([{ name: 'x' }], [status('x', 'unreachable')])[0]!.description, 'unreachable: no answer');
});
