import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDuplicateAgentHazard, SEED_WARNING } from '../../../src/core/failover/hazard';
import { prepareFailover } from '../../../src/core/failover/failover';
import { World, agent, snapshotOf } from './world';

describe('hazard guard: duplicate agents without DR identifiers', () => {
  test('scaling up a member without a DR identifier while its twin runs elsewhere is refused with the seed warning', () => {
    const snap = snapshotOf(agent('east', undefined, 40), agent('west', undefined, 0, { agent: { ready: 0, desired: 0 } }));
    const v = checkDuplicateAgentHazard(snap, 'west/argocd', 'scaleUp');
    assert.equal(v.refuse, true);
    assert.deepEqual(v.conflicting.map((a) => a.id), ['east/argocd']);
    assert.match(v.message, /^Refused: Scaling up west\/argocd \(no DR identifier\) while east\/argocd \(no DR identifier\) runs agent gitopsagent, and it has no disaster recovery identifier\./);
    assert.ok(v.message.includes(SEED_WARNING));
    assert.match(v.message, /all entities on Harness will be deleted/);
  });

  test('a DR pair with distinct identifiers is safe, running or scaling', () => {
    const snap = snapshotOf(agent('east', 'east', 40), agent('west', 'west', 0));
    assert.equal(checkDuplicateAgentHazard(snap, 'west/argocd', 'scaleUp').refuse, false);
    assert.equal(checkDuplicateAgentHazard(snap, 'east/argocd', 'running').refuse, false);
  });

  test('one member with and one without a DR identifier is refused too; so are two sharing one', () => {
    const mixed = snapshotOf(agent('east', 'east', 40), agent('west', undefined, 0));
    assert.match(checkDuplicateAgentHazard(mixed, 'east/argocd', 'running').message, /west\/argocd \(no DR identifier\) has none/);
    const same = snapshotOf(agent('east', 'dr1', 40), agent('west', 'dr1', 0));
    assert.match(checkDuplicateAgentHazard(same, 'west/argocd', 'scaleUp').message, /they share the disaster recovery identifier "dr1"/);
  });

  test('a twin that is scaled to zero is no hazard; an unknown agent is none either', () => {
    const snap = snapshotOf(agent('east', undefined, 40, { agent: { ready: 0, desired: 0 } }), agent('west', undefined, 0));
    assert.equal(checkDuplicateAgentHazard(snap, 'west/argocd', 'scaleUp').refuse, false);
    assert.equal(checkDuplicateAgentHazard(snap, 'nowhere/x', 'scaleUp').refuse, false);
  });

  test('the failover pre-flight refuses on it', async () => {
    const world = new World();
    const snap = snapshotOf(agent('east', 'east', 40), agent('west', undefined, 0));
    const prepared = await prepareFailover(snap, { member: 'west/argocd' }, (r) => world.ports(snap, r.from, false));
    const c = prepared.preflight.report.checks.find((x) => x.id === 'dr-identifiers')!;
    assert.equal(c.status, 'fail');
    assert.match(c.detail, /west\/argocd has no disaster recovery identifier/);
    assert.equal(prepared.preflight.report.ok, false);
  });
});
