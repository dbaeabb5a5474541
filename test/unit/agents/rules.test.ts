import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDrRules, checkSingleAgent } from '../../../src/core/agents/rules';
import { agent } from './fixtures';

const identity = { account: 'acc', org: 'default', project: 'dr', agent: 'drdemo' };
const codes = (members: Parameters<typeof checkDrRules>[0]['members']): string[] => checkDrRules({ identity, members }).map((f) => f.code);

test('a well-formed pair (same namespace, separate clusters, same type, both DR) has no findings', () => {
  const east = agent({ context: 'east', drIdentifier: 'east', counts: { applications: 40 } });
  const west = agent({ context: 'west', drIdentifier: 'west', counts: { applications: 40 } });
  assert.deepEqual(checkDrRules({ identity, members: [east, west] }), []);
});

test('different namespaces violate DR001 and the message names who uses which', () => {
  const findings = checkDrRules({ identity, members: [agent({ context: 'east', drIdentifier: 'a' }), agent({ context: 'west', namespace: 'gitops', drIdentifier: 'b' })] });
  const f = findings.find((x) => x.code === 'DR001');
  assert.ok(f, 'DR001 expected');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /east\/argocd uses namespace argocd; west\/gitops uses namespace gitops/);
});

test('two members in one cluster violate DR002, also when reached through two contexts', () => {
  const a = agent({ context: 'c1', clusterId: 'same', drIdentifier: 'a', alsoVia: ['c1-alias'] });
  const b = agent({ context: 'c2', clusterId: 'same', namespace: 'other', drIdentifier: 'b' });
  const f = checkDrRules({ identity, members: [a, b] }).find((x) => x.code === 'DR002');
  assert.ok(f);
  assert.match(f.message, /cannot be deployed to the same cluster/);
  assert.match(f.message, /c1-alias/);
});

test('HA paired with NON-HA violates DR003; BYOA with managed violates DR004', () => {
  assert.ok(codes([agent({ context: 'e', drIdentifier: 'a', availability: 'HA' }), agent({ context: 'w', drIdentifier: 'b' })]).includes('DR003'));
  assert.ok(codes([agent({ context: 'e', drIdentifier: 'a', byoa: true }), agent({ context: 'w', drIdentifier: 'b' })]).includes('DR004'));
});

test('unknown availability is not reported as a type mismatch', () => {
  assert.ok(!codes([agent({ context: 'e', drIdentifier: 'a', availability: 'unknown' }), agent({ context: 'w', drIdentifier: 'b' })]).includes('DR003'));
});

test('version skew is a warning (DR005)', () => {
  const f = checkDrRules({ identity, members: [agent({ context: 'e', drIdentifier: 'a' }), agent({ context: 'w', drIdentifier: 'b', version: 'v0.90.0' })] }).find((x) => x.code === 'DR005');
  assert.equal(f?.severity, 'warning');
  assert.match(f!.message, /v0\.88\.1/);
  assert.match(f!.message, /v0\.90\.0/);
});

test('two running members without DR identifiers: DR006 error stating that the reconcilers delete each other\'s entities', () => {
  const f = checkDrRules({ identity, members: [agent({ context: 'east' }), agent({ context: 'west' })] }).find((x) => x.code === 'DR006');
  assert.equal(f?.severity, 'error');
  assert.match(f!.message, /reconcilers delete each other's entities/);
  assert.match(f!.message, /entities on Harness will be deleted/);
});

test('no DR006 when only one member without DR identifier runs', () => {
  assert.ok(!codes([agent({ context: 'east' }), agent({ context: 'west', agent: { ready: 0, desired: 0 } })]).includes('DR006'));
});

test('a shared DR identifier is DR007', () => {
  assert.ok(codes([agent({ context: 'e', drIdentifier: 'same' }), agent({ context: 'w', drIdentifier: 'same' })]).includes('DR007'));
});

test('an empty member beside a full one is DR008 (not yet restored), naming both', () => {
  const f = checkDrRules({ identity, members: [agent({ context: 'east', drIdentifier: 'a', counts: { applications: 40 } }), agent({ context: 'west', drIdentifier: 'b', counts: { applications: 0 } })] }).find((x) => x.code === 'DR008');
  assert.equal(f?.severity, 'warning');
  assert.match(f!.message, /west\/argocd holds no Applications while east\/argocd holds 40: not yet restored/);
});

test('a partly restored member (40 of 45) is DR008 naming the 5 missing; equal counts pass', () => {
  const f = checkDrRules({ identity, members: [agent({ context: 'east', drIdentifier: 'a', counts: { applications: 45, applicationSets: 2 } }), agent({ context: 'west', drIdentifier: 'b', counts: { applications: 40, applicationSets: 2 } })] }).filter((x) => x.code === 'DR008');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.deepEqual(f[0]!.members, ['west/argocd']);
  assert.match(f[0]!.message, /west\/argocd holds 40 of 45 Applications \(5 missing\) of east\/argocd: partly restored/);
  assert.ok(!codes([agent({ context: 'east', drIdentifier: 'a', counts: { applications: 45 } }), agent({ context: 'west', drIdentifier: 'b', counts: { applications: 45 } })]).includes('DR008'));
});

test('a member whose counts are unknown (forbidden) is not called empty', () => {
  assert.ok(!codes([agent({ context: 'east', drIdentifier: 'a', counts: { applications: 40 } }), agent({ context: 'west', drIdentifier: 'b', counts: {} })]).includes('DR008'));
});

test('a lone DR member gets DR009; a lone non-DR agent gets nothing', () => {
  assert.equal(checkSingleAgent(agent({ context: 'east', drIdentifier: 'east' }))[0]?.code, 'DR009');
  assert.deepEqual(checkSingleAgent(agent({ context: 'lab' })), []);
});
