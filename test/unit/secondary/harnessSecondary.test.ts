// Creating the secondary node and fetching its install manifest, against the local stand-in of the documented
// Harness agents API (POST /agents, GET /agents/{id}/deploy.yaml): success, 401, 409 identifier taken, 5xx.
import { test, describe, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { HarnessClient } from '../../../src/core/harness/client';
import { HarnessError } from '../../../src/core/harness/errors';
import { createSecondaryNode, secondaryAgentBody } from '../../../src/core/secondary/harnessNode';
import { parseManifest } from '../../../src/core/secondary/manifest';
import { FakeHarness, type FakeNode } from '../../support/fakeHarness';

const KEY = 'pat.acct1.secondary.S3CRETkey';
const identity = { account: 'acct1', org: 'default', project: 'dr', agent: 'gitopsagent' };

function nodes(): FakeNode[] {
  return [
    { account: 'acct1', org: 'default', project: 'dr', identifier: 'gitopsagent', name: 'GitOps Agent', drIdentifier: 'east', type: 'PRIMARY', namespace: 'argocd', highAvailability: true },
    { account: 'acct1', org: 'default', project: 'dr', identifier: 'plain', namespace: 'argocd' },
  ];
}

describe('secondary node in Harness (stand-in)', () => {
  let fake: FakeHarness;
  let client: HarnessClient;
  beforeEach(async () => {
    fake = await FakeHarness.start({ apiKeys: [KEY], nodes: nodes() });
    client = new HarnessClient({ baseUrl: fake.url, apiKey: KEY, retryBaseMs: 5, timeoutMs: 2000 });
  });
  afterEach(() => fake.close());

  test('creates the secondary with DR on, type SECONDARY, the chosen DR identifier and the primary identity and metadata', async () => {
    const node = await createSecondaryNode(client, identity, 'east', 'west', 'argocd');
    assert.equal(node.created, true);
    assert.deepEqual(node.agent.disasterRecoveryNode, { identifier: 'west', name: 'west', type: 'SECONDARY' });
    const [post] = fake.requestsTo('POST', '/gitops/api/v1/agents');
    const body = post!.body as Record<string, unknown>;
    assert.equal(body.identifier, 'gitopsagent', 'the primary overrides the identifier');
    assert.equal(body.name, 'GitOps Agent');
    assert.equal(body.type, 'MANAGED_ARGO_PROVIDER');
    assert.deepEqual(body.metadata, { namespace: 'argocd', highAvailability: true, existingInstallation: false, isNamespaced: false });
    assert.deepEqual([body.accountIdentifier, body.orgIdentifier, body.projectIdentifier], ['acct1', 'default', 'dr']);
    const listed = await client.listAgents({ ...{ account: 'acct1', org: 'default', project: 'dr' }, identifier: 'gitopsagent', includeSecondary: true });
    assert.deepEqual(listed.map((a) => a.disasterRecoveryNode?.identifier).sort(), ['east', 'west']);
  });

  test('a second run reuses the node it created (409 from the create, then the node is read back)', async () => {
    await createSecondaryNode(client, identity, 'east', 'west', 'argocd');
    const again = await createSecondaryNode(client, identity, 'east', 'west', 'argocd');
    assert.equal(again.created, false);
    assert.equal(fake.requestsTo('POST', '/gitops/api/v1/agents').at(-1)!.status, 409);
  });

  test('409: the DR identifier is the primary\'s: refused with the reason, nothing created', async () => {
    await assert.rejects(createSecondaryNode(client, identity, 'east', 'east', 'argocd'), (e: Error) => {
      assert.match(e.message, /conflict \(409\).*already has a disaster recovery node east.*\(it is the primary node\)/);
      return true;
    });
    assert.equal(fake.node('gitopsagent', 'east')!.type, 'PRIMARY');
  });

  test('409 from the client itself: a plain agent identifier that is taken', async () => {
    await assert.rejects(client.createAgent({ ...secondaryAgentBody({ name: 'x' }, { account: 'acct1', org: 'default', project: 'dr', agent: 'plain' }, 'west', 'argocd'), disasterRecoveryNode: undefined }), (e: unknown) => e instanceof HarnessError && e.reason === 'conflict' && /already exists/.test(e.message) && /choose another DR identifier/.test(e.message));
  });

  test('a primary without DR in Harness is refused before any create', async () => {
    await assert.rejects(createSecondaryNode(client, { ...identity, agent: 'plain' }, undefined, 'west', 'argocd'), /without disaster recovery/);
    assert.equal(fake.requestsTo('POST', '/gitops/api/v1/agents').length, 0);
  });

  test('401: a wrong key is rejected with advice, the key never shown', async () => {
    const bad = new HarnessClient({ baseUrl: fake.url, apiKey: 'pat.wrong.key.value', retryBaseMs: 5 });
    await assert.rejects(createSecondaryNode(bad, identity, 'east', 'west', 'argocd'), (e: unknown) => e instanceof HarnessError && e.reason === 'unauthorized' && !e.message.includes('pat.wrong.key.value'));
  });

  test('5xx on the create is not retried (a create that reached the server may have happened)', async () => {
    fake.failNext([503], { method: 'POST' });
    await assert.rejects(client.createAgent(secondaryAgentBody({ name: 'n' }, identity, 'west', 'argocd')), (e: unknown) => e instanceof HarnessError && e.reason === 'server');
    assert.equal(fake.requestsTo('POST', '/gitops/api/v1/agents').length, 1);
  });

  test('deploy.yaml: YAML text with the namespace and DR identifier; a 502 is retried', async () => {
    await createSecondaryNode(client, identity, 'east', 'west', 'argocd');
    fake.failNext([502], { path: 'deploy.yaml' });
    const text = await client.getDeployYaml('gitopsagent', { account: 'acct1', org: 'default', project: 'dr', namespace: 'argocd', drIdentifier: 'west', skipCrds: true });
    const objects = parseManifest(text, 'argocd');
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'gitops-agent') as { data?: Record<string, string> } | undefined;
    assert.equal(cm?.data?.GITOPS_DISASTER_RECOVERY_IDENTIFIER, 'west');
    assert.equal(cm?.data?.GITOPS_AGENT_AVAILABILITY_MODE, 'HA');
    assert.ok(!objects.some((o) => o.kind === 'CustomResourceDefinition'), 'skipCrds leaves the CRDs out');
    const gets = fake.requestsTo('GET', 'deploy.yaml');
    assert.deepEqual(gets.map((r) => r.status), [502, 200]);
    assert.equal(gets[1]!.query.disasterRecoveryIdentifier, 'west');
    assert.equal(gets[1]!.query.namespace, 'argocd');
  });

  test('deploy.yaml of an unknown DR node: 404 with the reason', async () => {
    await assert.rejects(client.getDeployYaml('gitopsagent', { account: 'acct1', org: 'default', project: 'dr', namespace: 'argocd', drIdentifier: 'nope' }), (e: unknown) => e instanceof HarnessError && e.reason === 'notFound' && /no disaster recovery node nope/.test(e.message));
  });

  test('deploy.yaml answered with something that is not a manifest is refused', async () => {
    fake.answerRawOnce('<html>login</html>', { path: 'deploy.yaml' });
    await assert.rejects(client.getDeployYaml('gitopsagent', { account: 'acct1', org: 'default', project: 'dr', namespace: 'argocd', drIdentifier: 'east' }), (e: unknown) => e instanceof HarnessError && e.reason === 'badResponse');
  });
});
