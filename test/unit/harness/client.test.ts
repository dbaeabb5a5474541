import { test, describe, afterEach, beforeEach } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as util from 'node:util';
import { HarnessClient } from '../../../src/core/harness/client';
import { HarnessError } from '../../../src/core/harness/errors';
import { FakeHarness, type FakeNode } from '../../support/fakeHarness';

const KEY = 'pat.acct1.tok3n.s3cr3tVALUE';
const READ_ONLY = 'pat.acct1.readonly.XYZ987';

function pairNodes(): FakeNode[] {
  return [
    { account: 'acct1', org: 'default', project: 'dr', identifier: 'gitopsagent', drIdentifier: 'east', type: 'PRIMARY', namespace: 'argocd', syncAllowed: true, appProjects: ['default', 'team-a'] },
    { account: 'acct1', org: 'default', project: 'dr', identifier: 'gitopsagent', drIdentifier: 'west', type: 'SECONDARY', namespace: 'argocd', syncAllowed: false, unhealthy: ['argoRepoServer'] },
    { account: 'acct1', org: 'default', project: 'dr', identifier: 'other', namespace: 'tools' },
    { account: 'acct2', identifier: 'gitopsagent', drIdentifier: 'east', type: 'PRIMARY' },
  ];
}

function expectHarnessError(reason: HarnessError['reason'], check?: (e: HarnessError) => void) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof HarnessError, `expected HarnessError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.ok(!e.message.includes(KEY), 'the key must never appear in an error message');
    check?.(e);
    return true;
  };
}

const scope = { org: 'default', project: 'dr' };

describe('HarnessClient against the local Harness server', () => {
  let fake: FakeHarness;
  let client: HarnessClient;
  const logLines: string[] = [];

  afterEach(() => fake.close());
  beforeEach(async () => {
    fake = await FakeHarness.start({ apiKeys: [KEY], readOnlyKeys: [READ_ONLY], nodes: pairNodes(), echoKeyInErrors: true });
    logLines.length = 0;
    client = new HarnessClient({ baseUrl: fake.url, apiKey: KEY, account: 'acct1', timeoutMs: 2000, retries: 3, retryBaseMs: 5, log: (l) => logLines.push(l) });
  });

  test('lists every DR node of an agent across pages, sending the key and the scope', async () => {
    const agents = await client.listAgents({ ...scope, identifier: 'gitopsagent', includeSecondary: true, pageSize: 1 });
    assert.deepEqual(
      agents.map((a) => [a.identifier, a.disasterRecoveryNode?.identifier, a.disasterRecoveryNode?.type]),
      [
        ['gitopsagent', 'east', 'PRIMARY'],
        ['gitopsagent', 'west', 'SECONDARY'],
      ],
    );
    const lists = fake.requestsTo('GET', '/gitops/api/v1/agents');
    assert.equal(lists.length, 2, 'one request per page');
    assert.deepEqual(lists.map((r) => r.query.pageIndex), ['0', '1']);
    assert.ok(lists.every((r) => r.hadKey && r.query.accountIdentifier === 'acct1' && r.query.orgIdentifier === 'default' && r.query.projectIdentifier === 'dr'));
    assert.equal(agents[0]!.metadata?.namespace, 'argocd');
    assert.deepEqual(Object.keys(agents[0]!.metadata?.mappedProjects?.appProjMap ?? {}), ['default', 'team-a']);
  });

  test('without includeSecondary the list holds the primary only', async () => {
    const agents = await client.listAgents({ ...scope, identifier: 'gitopsagent' });
    assert.deepEqual(agents.map((a) => a.disasterRecoveryNode?.identifier), ['east']);
  });

  test('reads one DR node with its health', async () => {
    const west = await client.getAgent('gitopsagent', { ...scope, drIdentifier: 'west' });
    assert.equal(west.disasterRecoveryNode?.type, 'SECONDARY');
    assert.equal(west.health?.argoRepoServer?.status, 'UNHEALTHY');
    assert.equal(fake.requests.at(-1)!.query.drIdentifier, 'west');
  });

  test('404 names the agent and the DR node, with advice', async () => {
    await assert.rejects(
      client.getAgent('gitopsagent', { ...scope, drIdentifier: 'north' }),
      expectHarnessError('notFound', (e) => {
        assert.equal(e.status, 404);
        assert.match(e.message, /get agent gitopsagent \(DR node north\)/);
        assert.match(e.message, /has no disaster recovery node north/);
        assert.match(e.message, /check the identifiers and the scope/);
      }),
    );
    await assert.rejects(client.getAgent('gitopsagent', { drIdentifier: 'east' }), expectHarnessError('notFound'), 'the agent lives in a project: account scope alone does not find it');
  });

  test('setPrimaryNode sends the documented body and switches the pair', async () => {
    const answer = await client.setPrimaryNode('gitopsagent', 'west', { ...scope, disableSyncWindows: true });
    assert.equal(answer.disasterRecoveryNode?.identifier, 'west');
    assert.equal(answer.disasterRecoveryNode?.type, 'PRIMARY');
    const patch = fake.requestsTo('PATCH', '/primaryNode')[0]!;
    assert.equal(patch.path, '/gitops/api/v1/agents/gitopsagent/primaryNode');
    assert.deepEqual(patch.body, { accountIdentifier: 'acct1', orgIdentifier: 'default', projectIdentifier: 'dr', agentIdentifier: 'gitopsagent', disasterRecoveryIdentifier: 'west', disableSyncWindows: true });
    assert.equal(fake.node('gitopsagent', 'east')!.type, 'SECONDARY');
    assert.equal(fake.node('gitopsagent', 'west')!.syncAllowed, true, 'disableSyncWindows opens the new primary');
  });

  test('reads and sets sync-allowed of one node', async () => {
    assert.equal(await client.getSyncAllowed('gitopsagent', 'east', scope), true);
    assert.equal(await client.setSyncAllowed('gitopsagent', 'east', false, scope), false);
    assert.equal(await client.getSyncAllowed('gitopsagent', 'east', scope), false);
    assert.equal(fake.node('gitopsagent', 'east')!.syncAllowed, false);
    const put = fake.requestsTo('PUT', '/sync-allowed')[0]!;
    assert.deepEqual(put.body, { accountIdentifier: 'acct1', orgIdentifier: 'default', projectIdentifier: 'dr', agentIdentifier: 'gitopsagent', disasterRecoveryIdentifier: 'east', syncAllowed: false });
  });

  test('401: a wrong key is refused, and the server echoing it does not leak it', async () => {
    const wrong = new HarnessClient({ baseUrl: fake.url, apiKey: 'pat.wrong.key.123', account: 'acct1', retries: 0 });
    await assert.rejects(
      wrong.listAgents(scope),
      (e: unknown) => {
        assert.ok(e instanceof HarnessError && e.reason === 'unauthorized' && e.status === 401);
        assert.ok(!e.message.includes('pat.wrong.key.123'), e.message);
        assert.match(e.message, /\[redacted\]/);
        assert.match(e.message, /Set Harness API Key/);
        return true;
      },
    );
  });

  test('403: a read-only key may read but not switch', async () => {
    const ro = new HarnessClient({ baseUrl: fake.url, apiKey: READ_ONLY, account: 'acct1', retries: 0 });
    assert.equal((await ro.listAgents(scope)).length, 2);
    await assert.rejects(ro.setPrimaryNode('gitopsagent', 'west', scope), (e: unknown) => e instanceof HarnessError && e.reason === 'forbidden' && /lacks the GitOps agent permission/.test(e.message));
    assert.equal(fake.node('gitopsagent', 'east')!.type, 'PRIMARY', 'nothing changed');
  });

  test('retries 429 and 503 with backoff, then succeeds', async () => {
    fake.failNext([429, 503, 502], { method: 'GET' });
    const agents = await client.listAgents({ ...scope, identifier: 'gitopsagent', includeSecondary: true });
    assert.equal(agents.length, 2);
    assert.deepEqual(fake.requests.map((r) => r.status), [429, 503, 502, 200]);
    assert.equal(logLines.length, 4);
  });

  test('honours Retry-After', async () => {
    fake.failNext([429], { retryAfter: '1' });
    const started = Date.now();
    await client.getSyncAllowed('gitopsagent', 'east', scope);
    assert.ok(Date.now() - started >= 900, 'waited about the second the server asked for');
  });

  test('gives up after the retries with the server error and the attempt count', async () => {
    fake.failNext([503, 503, 503, 503]);
    await assert.rejects(client.getAgent('gitopsagent', scope), expectHarnessError('server', (e) => assert.match(e.message, /after 4 attempts/)));
    assert.equal(fake.requests.length, 4);
  });

  test('a slow answer becomes a timeout, not a hang, and is not retried', async () => {
    const quick = new HarnessClient({ baseUrl: fake.url, apiKey: KEY, account: 'acct1', timeoutMs: 150, retries: 3, retryBaseMs: 5 });
    fake.slow(3000);
    const started = Date.now();
    await assert.rejects(quick.getAgent('gitopsagent', scope), expectHarnessError('timeout', (e) => assert.match(e.message, /within 0.15s/)));
    assert.ok(Date.now() - started < 1500);
    assert.equal(fake.requests.length, 1);
  });

  test('the caller can cancel', async () => {
    fake.slow(3000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(client.getAgent('gitopsagent', scope, { signal: controller.signal }), expectHarnessError('cancelled'));
  });

  test('malformed answers are errors, not crashes', async () => {
    fake.answerRawOnce('<html>gateway</html>');
    await assert.rejects(client.getAgent('gitopsagent', scope), expectHarnessError('badResponse', (e) => assert.match(e.message, /not JSON/)));
    fake.answerRawOnce('{"content": "nope"}');
    await assert.rejects(client.listAgents(scope), expectHarnessError('badResponse', (e) => assert.match(e.message, /not an agent list/)));
    fake.answerRawOnce('{"syncAllowed": "yes"}');
    await assert.rejects(client.getSyncAllowed('gitopsagent', 'east', scope), expectHarnessError('badResponse'));
    fake.answerRawOnce('{}');
    assert.equal(await client.getSyncAllowed('gitopsagent', 'east', scope), false, 'proto3 omits false');
  });

  test('an unreachable host is a network error naming the host', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = new HarnessClient({ baseUrl: `http://127.0.0.1:${port}/gateway`, apiKey: KEY, account: 'acct1', retries: 1, retryBaseMs: 1 });
    await assert.rejects(c.listAgents(), expectHarnessError('network', (e) => assert.match(e.message, new RegExp(`127.0.0.1:${port}.*connection refused`))));
  });

  test('bad settings are config errors that never echo the key', () => {
    assert.throws(() => new HarnessClient({ baseUrl: 'app.harness.io', apiKey: KEY }), expectHarnessError('config', (e) => assert.match(e.message, /not a URL/)));
    assert.throws(() => new HarnessClient({ baseUrl: 'ftp://x', apiKey: KEY }), expectHarnessError('config'));
    assert.throws(() => new HarnessClient({ apiKey: '' }), expectHarnessError('config', (e) => assert.match(e.message, /HARNESS_API_KEY/)));
    const withNewline = `${KEY}\n`;
    assert.throws(() => new HarnessClient({ apiKey: withNewline }), expectHarnessError('config', (e) => assert.match(e.message, /paste it again/)));
    const noAccount = new HarnessClient({ baseUrl: fake.url, apiKey: KEY });
    return assert.rejects(noAccount.listAgents(), expectHarnessError('config', (e) => assert.match(e.message, /account identifier/)));
  });

  test('the key never shows in logs, JSON or inspection', async () => {
    await client.listAgents(scope);
    fake.failNext([503]);
    await client.listAgents(scope);
    assert.ok(logLines.length >= 3);
    for (const line of logLines) assert.ok(!line.includes(KEY), line);
    assert.ok(!JSON.stringify(client).includes(KEY));
    assert.ok(!util.inspect(client, { showHidden: true, depth: 5 }).includes(KEY));
    assert.ok(!String(client).includes(KEY));
  });

  test('the local server itself refuses malformed bodies (so the client is really checked)', async () => {
    const send = async (body: string, contentType = 'application/json'): Promise<{ status: number; json: { code: number; message: string } }> => {
      const res = await fetch(`${fake.url}/gitops/api/v1/agents/gitopsagent/primaryNode`, { method: 'PATCH', headers: { 'x-api-key': KEY, 'Content-Type': contentType }, body });
      return { status: res.status, json: (await res.json()) as { code: number; message: string } };
    };
    const base = { accountIdentifier: 'acct1', orgIdentifier: 'default', projectIdentifier: 'dr', agentIdentifier: 'gitopsagent', disasterRecoveryIdentifier: 'west' };
    assert.deepEqual(await send(JSON.stringify({ ...base, primary: true })).then((r) => [r.status, r.json.code, r.json.message]), [400, 3, 'unknown field "primary" in request body']);
    assert.equal((await send(JSON.stringify({ ...base, disableSyncWindows: 'yes' }))).status, 400);
    assert.equal((await send(JSON.stringify({ ...base, agentIdentifier: 'x' }))).status, 400);
    assert.equal((await send('{')).status, 400);
    assert.equal((await send(JSON.stringify(base), 'text/plain')).status, 400);
    const { disasterRecoveryIdentifier: _, ...missing } = base;
    assert.match((await send(JSON.stringify(missing))).json.message, /disasterRecoveryIdentifier is required/);
    assert.equal(fake.node('gitopsagent', 'east')!.type, 'PRIMARY');
    const noKey = await fetch(`${fake.url}/gitops/api/v1/agents?accountIdentifier=acct1`);
    assert.equal(noKey.status, 401);
  });
});
