import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, FOLD_THRESHOLD, type RoleLookup } from '../../../src/extension/tree/nodes';
import { AgentsModel } from '../../../src/extension/tree/agentsModel';
import { buildSnapshot } from '../../../src/core/agents/pairing';
import type { ContextStatus } from '../../../src/core/agents/model';
import { agent, reachable } from '../agents/fixtures';

const east = agent({ context: 'east', drIdentifier: 'east', counts: { applications: 40, appProjects: 4 } });
const west = agent({ context: 'west', drIdentifier: 'west', counts: { applications: 0 } });
const lab = agent({ context: 'lab', namespace: 'harness-gitops', availability: 'HA', identity: { account: 'acc', agent: 'labagent' }, counts: { applications: 3 } });
const offline: ContextStatus = { name: 'offline', isCurrent: false, state: 'unreachable', reason: 'timeout: no answer within 5s', agents: [], server: 'https://127.0.0.1:1' };
const empty = (n: string): ContextStatus => ({ name: n, isCurrent: false, state: 'reachable', serverVersion: 'v1.36.3', agents: [] });

test('roots come in order: DR pairs, single agents, contexts without agents, unreachable contexts', () => {
  const roots = buildTree(buildSnapshot([reachable('east', [east]), reachable('west', [west]), reachable('lab', [lab]), empty('spare'), offline]));
  assert.deepEqual(roots.map((r) => r.contextValue), ['agentGroup', 'agent.single', 'context.reachable', 'context.unreachable']);
  assert.equal(roots[0]!.label, 'drdemo');
});

test('member descriptions read like "east · argocd · primary? · 40 apps" and the guess is marked with ?', () => {
  const pair = buildTree(buildSnapshot([reachable('east', [east]), reachable('west', [west])]))[0]!;
  const members = pair.children!.filter((c) => c.agent);
  assert.equal(members[0]!.label, 'east');
  assert.equal(members[0]!.description, 'argocd · primary? · 40 apps');
  assert.equal(members[1]!.description, 'argocd · secondary? · 0 apps');
  assert.equal(members[0]!.contextValue, 'agent.member.unknownRole');
  assert.match(members[0]!.tooltip!, /role unknown: connect to Harness/);
});

test('Harness roles replace the guess and set the member contextValue', () => {
  const roles: RoleLookup = { connected: true, roleOf: (a) => (a.context === 'west' ? { role: 'PRIMARY', health: 'HEALTHY' } : { role: 'SECONDARY' }) };
  const pair = buildTree(buildSnapshot([reachable('east', [east]), reachable('west', [west])]), roles)[0]!;
  const byCtx = Object.fromEntries(pair.children!.filter((c) => c.agent).map((c) => [c.label, c]));
  assert.equal(byCtx.west!.contextValue, 'agent.member.primary');
  assert.equal(byCtx.east!.contextValue, 'agent.member.secondary');
  assert.match(byCtx.west!.description!, /· primary ·/);
  assert.match(byCtx.west!.tooltip!, /PRIMARY \(Harness: HEALTHY\)/);
});

test('a pair with a rule violation shows the error icon and the finding as a child', () => {
  const other = agent({ context: 'west', namespace: 'gitops', drIdentifier: 'west' });
  const pair = buildTree(buildSnapshot([reachable('east', [east]), reachable('west', [other])]))[0]!;
  assert.equal(pair.icon!.id, 'error');
  assert.ok(pair.children!.some((c) => c.finding?.code === 'DR001'));
});

test('unreachable contexts say why; tooltips never hold more than names and reasons', () => {
  const roots = buildTree(buildSnapshot([offline]));
  assert.equal(roots[0]!.description, 'unreachable: timeout: no answer within 5s');
  assert.equal(roots[0]!.icon!.id, 'debug-disconnect');
});

test('with 300 contexts, those without agents fold into one collapsed node', () => {
  const many = Array.from({ length: 300 }, (_, i) => empty(`ctx-${i}`));
  const roots = buildTree(buildSnapshot([reachable('east', [east]), ...many]));
  assert.equal(roots.length, 2);
  assert.equal(roots[1]!.contextValue, 'contextGroup');
  assert.equal(roots[1]!.collapsed, true);
  assert.equal(roots[1]!.children!.length, 300);
  assert.ok(FOLD_THRESHOLD < 300);
});

test('the model streams: contexts show as probing until they answer, then the state becomes ready', () => {
  const model = new AgentsModel();
  let changes = 0;
  model.onDidChange(() => changes++);
  model.begin([
    { name: 'east', cluster: 'east', user: 'admin', file: '/k', isCurrent: true },
    { name: 'offline', cluster: 'offline', user: 'admin', file: '/k', isCurrent: false },
  ]);
  assert.equal(model.state, 'loading');
  assert.ok(model.roots().some((r) => r.contextValue === 'context.probing'));
  model.update(reachable('east', [east]));
  assert.equal(model.state, 'ready');
  model.update(offline);
  model.finish();
  assert.equal(model.find('agent:east/argocd')?.agent?.context, 'east');
  assert.equal(model.parentOf('agent:east/argocd'), undefined);
  assert.ok(changes >= 4);
});

test('no contexts at all is the "no kubeconfig" state; reachable contexts without agents is "no agents"', () => {
  const model = new AgentsModel();
  model.begin([]);
  model.finish();
  assert.equal(model.state, 'noKubeconfig');
  model.begin([{ name: 'spare', cluster: 'c', user: 'u', file: '/k', isCurrent: false }]);
  model.update(empty('spare'));
  assert.equal(model.state, 'noAgents');
});

test('a finding about one member shows under that member only, not again on the pair', () => {
  const pair = buildTree(buildSnapshot([reachable('east', [east]), reachable('west', [west])]))[0]!;
  const onPair = pair.children!.filter((c) => c.finding).map((c) => c.finding!.code);
  const onWest = pair.children!.find((c) => c.label === 'west')!.children!.filter((c) => c.finding).map((c) => c.finding!.code);
  const onEast = pair.children!.find((c) => c.label === 'east')!.children!.filter((c) => c.finding).map((c) => c.finding!.code);
  assert.deepEqual(onPair, []);
  assert.deepEqual(onWest, ['DR008']);
  assert.deepEqual(onEast, []);
});

test('a component scaled to zero (0/0) gets a paused icon and says so, not a green check', () => {
  const a = agent({ context: 'east', argoComponents: [{ name: 'argocd-server', kind: 'Deployment', readiness: { ready: 0, desired: 0 } }, { name: 'argocd-repo-server', kind: 'Deployment', readiness: { ready: 1, desired: 1 } }] } as never);
  const node = buildTree(buildSnapshot([reachable('east', [a])]))[0]!;
  const rows = node.children ?? [];
  const server = rows.find((r) => r.label === 'server')!;
  const repo = rows.find((r) => r.label === 'repo-server')!;
  assert.match(server.tooltip!, /Deployment `argocd-server`: 0 of 0 replicas ready \(scaled to zero on purpose\)/);
  assert.equal(server.description, 'scaled to zero');
  assert.equal(server.icon?.id, 'debug-pause');
  assert.equal(repo.icon?.id, 'pass-filled');
});

test('a fenced member says so in its description, shows a lock and explains it in the tooltip; an open one does not', () => {
  const fenced = agent({ context: 'west', drIdentifier: 'west', counts: { applications: 0 }, syncs: { state: 'fenced', blocked: 4, projects: 4 } });
  const members = buildTree(buildSnapshot([reachable('east', [{ ...east, syncs: { state: 'open', blocked: 0, projects: 4 } }]), reachable('west', [fenced])]))[0]!.children!.filter((c) => c.agent);
  assert.equal(members[1]!.description, 'argocd · secondary? · fenced · 0 apps');
  // west also carries DR008 (a warning): the lock takes the warning colour.
  assert.deepEqual(members[1]!.icon, { id: 'lock', color: 'list.warningForeground' });
  assert.match(members[1]!.tooltip!, /Syncs: \*\*fenced\*\*: every AppProject \(4\) denies syncs now/);
  assert.equal(members[0]!.description, 'argocd · primary? · 40 apps');
  assert.equal(members[0]!.icon!.id, 'pass-filled');
  assert.match(members[0]!.tooltip!, /Syncs: allowed on all 4 AppProjects/);
});

test('partly fenced is named; a fenced member with a rule error keeps the error icon', () => {
  const partly = agent({ context: 'lab', syncs: { state: 'partly', blocked: 1, projects: 3 }, identity: { account: 'acc', agent: 'solo' } });
  const single = buildTree(buildSnapshot([reachable('lab', [partly])]))[0]!;
  assert.equal(single.description, 'lab · argocd · partly fenced · 0 apps');
  assert.match(single.tooltip!, /partly fenced: 1 of 3 AppProjects/);
  const other = agent({ context: 'west', namespace: 'gitops', drIdentifier: 'west', syncs: { state: 'fenced', blocked: 1, projects: 1 } });
  const pair = buildTree(buildSnapshot([reachable('east', [east]), reachable('west', [other])]))[0]!;
  assert.equal(pair.icon!.id, 'error');
});

test('finding rows have a short label (code and title) with the message beside it and in the tooltip', () => {
  const pair = buildTree(buildSnapshot([reachable('east', [east]), reachable('west', [west])]))[0]!;
  const row = pair.children!.find((c) => c.label === 'west')!.children!.find((c) => c.finding)!;
  assert.equal(row.label, 'DR008 not fully restored');
  assert.match(row.description!, /^west\/argocd holds no Applications while east\/argocd holds 40/);
  assert.match(row.tooltip!, /^\*\*DR008\*\* \(warning\)/);
});
