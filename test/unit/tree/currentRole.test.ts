// The status bar's text for the current kubeconfig context: role, fence, no agent, unreachable, and the row a click
// reveals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { currentRole } from '../../../src/extension/tree/currentRole';
import { NO_ROLES, type RoleLookup } from '../../../src/extension/tree/nodes';
import { buildSnapshot } from '../../../src/core/agents/pairing';
import type { ContextStatus } from '../../../src/core/agents/model';
import { agent, reachable } from '../agents/fixtures';

const east = agent({ context: 'east', drIdentifier: 'east', counts: { applications: 40 } });
const west = agent({ context: 'west', drIdentifier: 'west', counts: { applications: 0 }, syncs: { state: 'fenced', blocked: 4, projects: 4 } });
const current = (s: ContextStatus): ContextStatus => ({ ...s, isCurrent: true });

test('the current context\'s member: the guessed role with ?, and the row to reveal', () => {
  const r = currentRole(buildSnapshot([current(reachable('east', [east])), reachable('west', [west])]), NO_ROLES, true);
  assert.equal(r.text, '$(shield) DR east: primary?');
  assert.equal(r.nodeId, 'agent:east/argocd');
  assert.match(r.tooltip, /The `\?` marks a guess/);
  assert.match(r.tooltip, /never changed/);
});

test('a fenced secondary shows a lock and "fenced"; Harness\'s role replaces the guess', () => {
  const roles: RoleLookup = { connected: true, roleOf: (a) => ({ role: a.context === 'east' ? 'PRIMARY' : 'SECONDARY' }) };
  const r = currentRole(buildSnapshot([reachable('east', [east]), current(reachable('west', [west]))]), roles, true);
  assert.equal(r.text, '$(lock) DR west: secondary · fenced');
  assert.match(r.tooltip, /\*\*fenced\*\*/);
  assert.doesNotMatch(r.tooltip, /marks a guess/);
});

test('no agent, unreachable, probing, no current context, discovery not started', () => {
  const empty: ContextStatus = { name: 'spare', isCurrent: true, state: 'reachable', agents: [] };
  assert.deepEqual([currentRole(buildSnapshot([empty]), NO_ROLES, true)].map((r) => [r.text, r.nodeId]), [['$(circle-slash) DR spare: no agent', 'context:spare']]);
  const down: ContextStatus = { name: 'offline', isCurrent: true, state: 'unreachable', reason: 'timeout: no answer within 5s', agents: [] };
  const r = currentRole(buildSnapshot([down]), NO_ROLES, true);
  assert.equal(r.text, '$(debug-disconnect) DR offline: unreachable');
  assert.match(r.tooltip, /timeout: no answer within 5s/);
  assert.equal(currentRole(buildSnapshot([{ ...down, state: 'probing' }]), NO_ROLES, true).text, '$(loading~spin) DR offline');
  assert.equal(currentRole(buildSnapshot([{ ...empty, isCurrent: false }]), NO_ROLES, true).text, '$(shield) DR: no current context');
  const before = currentRole(buildSnapshot([]), NO_ROLES, false);
  assert.equal(before.text, '$(shield) DR');
  assert.equal(before.nodeId, undefined);
});

test('a single agent without DR, and a context with two agents (the DR member first)', () => {
  const solo = agent({ context: 'lab', namespace: 'tools', identity: { account: 'acc', agent: 'solo' } });
  assert.equal(currentRole(buildSnapshot([current(reachable('lab', [solo]))]), NO_ROLES, true).text, '$(shield) DR lab: agent, no DR');
  const member = agent({ context: 'lab', namespace: 'zz-argocd', drIdentifier: 'lab' });
  const r = currentRole(buildSnapshot([current(reachable('lab', [solo, member])), reachable('east', [east])]), NO_ROLES, true);
  assert.equal(r.nodeId, 'agent:lab/zz-argocd');
  assert.equal(r.text, '$(shield) DR lab: secondary? (+1)');
  assert.match(r.tooltip, /Also in this context: `tools`/);
});
