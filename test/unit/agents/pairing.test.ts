import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../../../src/core/agents/pairing';
import { agent, reachable } from './fixtures';

test('members sharing an identity become one group; others stay single', () => {
  const snap = buildSnapshot([
    reachable('east', [agent({ context: 'east', drIdentifier: 'east', counts: { applications: 40 } })]),
    reachable('west', [agent({ context: 'west', drIdentifier: 'west' })]),
    reachable('lab', [agent({ context: 'lab', namespace: 'harness-gitops', identity: { account: 'acc', agent: 'labagent' } })]),
    { name: 'offline', isCurrent: false, state: 'unreachable', reason: 'timeout', agents: [] },
  ]);
  assert.equal(snap.groups.length, 1);
  assert.deepEqual(snap.groups[0]!.members.map((m) => m.context), ['east', 'west']);
  assert.deepEqual(snap.singles.map((s) => s.context), ['lab']);
  assert.equal(snap.contexts.length, 4);
});

test('the same agent reached through two contexts is one agent, the second context listed in alsoVia', () => {
  const a = agent({ context: 'east', clusterId: 'uid-1', drIdentifier: 'east' });
  const b = agent({ context: 'east-admin', clusterId: 'uid-1', drIdentifier: 'east' });
  const snap = buildSnapshot([reachable('east', [a]), reachable('east-admin', [b])]);
  assert.equal(snap.groups.length, 0);
  assert.equal(snap.singles.length, 1);
  assert.deepEqual(snap.singles[0]!.alsoVia, ['east-admin']);
});

test('agents without an agent identifier are never paired with each other', () => {
  const noId = { account: 'acc', agent: '' };
  const snap = buildSnapshot([reachable('a', [agent({ context: 'a', identity: noId })]), reachable('b', [agent({ context: 'b', identity: noId })])]);
  assert.equal(snap.groups.length, 0);
  assert.equal(snap.singles.length, 2);
});

test('group members are ordered with the member holding entities first', () => {
  const snap = buildSnapshot([
    reachable('west', [agent({ context: 'west', drIdentifier: 'west' })]),
    reachable('east', [agent({ context: 'east', drIdentifier: 'east', counts: { applications: 3 } })]),
  ]);
  assert.equal(snap.groups[0]!.members[0]!.context, 'east');
  assert.ok(snap.groups[0]!.findings.some((f) => f.code === 'DR008'));
});
