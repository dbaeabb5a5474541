import { test, describe, afterEach, beforeEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { HarnessClient } from '../../../src/core/harness/client';
import { describeRole, fetchRoles, memberContextValue, roleOf, ROLE_UNKNOWN_LABEL } from '../../../src/core/harness/roles';
import type { AgentIdentity } from '../../../src/core/agents/model';
import { FakeHarness } from '../../support/fakeHarness';

const KEY = 'pat.acct1.roles.K3Y';
const pair: AgentIdentity = { account: 'acct1', org: 'default', project: 'dr', agent: 'gitopsagent' };
const lonely: AgentIdentity = { account: 'acct1', org: 'default', project: 'dr', agent: 'ghost' };
const elsewhere: AgentIdentity = { account: 'acct9', agent: 'gitopsagent' };

describe('fetchRoles', () => {
  let fake: FakeHarness;
  let client: HarnessClient;
  beforeEach(async () => {
    fake = await FakeHarness.start({
      apiKeys: [KEY],
      nodes: [
        { account: 'acct1', org: 'default', project: 'dr', identifier: 'gitopsagent', drIdentifier: 'east', type: 'PRIMARY' },
        { account: 'acct1', org: 'default', project: 'dr', identifier: 'gitopsagent', drIdentifier: 'west', type: 'SECONDARY', connected: false, unhealthy: ['argoAppController'] },
        // The same identifier in another project must not be mixed in.
        { account: 'acct1', org: 'default', project: 'other', identifier: 'gitopsagent', drIdentifier: 'west', type: 'PRIMARY' },
      ],
    });
    client = new HarnessClient({ baseUrl: fake.url, apiKey: KEY, retries: 0 });
  });
  afterEach(() => fake.close());

  test('reads the role and health of every DR node, one call per identity', async () => {
    const roles = await fetchRoles(client, [pair, pair, lonely]);
    assert.equal(fake.requests.length, 2, 'duplicates asked once');
    const east = roleOf(roles, { identity: pair, drIdentifier: 'east' });
    const west = roleOf(roles, { identity: pair, drIdentifier: 'west' });
    assert.equal(east?.role, 'PRIMARY');
    assert.equal(east?.healthy, true);
    assert.equal(west?.role, 'SECONDARY');
    assert.equal(west?.healthy, false);
    assert.deepEqual(west?.unhealthy, ['argoAppController']);
    assert.equal(memberContextValue(east), 'agent.member.primary');
    assert.equal(memberContextValue(west), 'agent.member.secondary');
    assert.equal(memberContextValue(undefined), 'agent.member.unknownRole');
    assert.equal(describeRole(roles, { identity: pair, drIdentifier: 'east' }), 'PRIMARY · connected, healthy');
    assert.equal(describeRole(roles, { identity: pair, drIdentifier: 'west' }), 'SECONDARY · disconnected, unhealthy: argoAppController');
    assert.equal(describeRole(roles, { identity: lonely, drIdentifier: 'x' }), 'not known to Harness (DR node x)');
  });

  test('without a key the label says how to get roles; failures stay per identity', async () => {
    assert.equal(describeRole(undefined, { identity: pair, drIdentifier: 'east' }), ROLE_UNKNOWN_LABEL);
    assert.equal(ROLE_UNKNOWN_LABEL, 'role unknown: connect to Harness');
    fake.failNext([403], { path: '/agents' });
    const roles = await fetchRoles(client, [elsewhere]);
    assert.match(describeRole(roles, { identity: elsewhere, drIdentifier: 'east' }), /^role unknown: forbidden \(403\)/);
    assert.ok(!describeRole(roles, { identity: elsewhere, drIdentifier: 'east' }).includes(KEY));
  });
});
