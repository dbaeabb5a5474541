// The client's failure paths, against local sockets that misbehave on purpose (no API semantics are faked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { KubeError, fromHttpStatus } from '../../../src/core/kube/errors';

async function clientFor(server: string, timeoutMs = 300): Promise<KubeClient> {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-dr-client-'));
  const file = join(dir, 'kc.yaml');
  writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t0ken-value\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\ncurrent-context: ctx\n`);
  return KubeClient.forContext(await loadKubeconfig([file]), 'ctx', { timeoutMs });
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

test('a server that accepts and never answers gives a timeout error after the per-request timeout', async () => {
  const sockets: net.Socket[] = [];
  const hang = net.createServer((s) => sockets.push(s));
  const port = await listen(hang);
  const client = await clientFor(`http://127.0.0.1:${port}`, 300);
  const started = Date.now();
  await assert.rejects(client.request('/version'), (e: unknown) => e instanceof KubeError && e.reason === 'timeout' && /no answer within 0\.3s/.test(e.message));
  assert.ok(Date.now() - started < 1500);
  client.close();
  sockets.forEach((s) => s.destroy());
  hang.close();
});

test('an aborted signal cancels a request in flight', async () => {
  const sockets: net.Socket[] = [];
  const hang = net.createServer((s) => sockets.push(s));
  const port = await listen(hang);
  const client = await clientFor(`http://127.0.0.1:${port}`, 5000);
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(client.request('/version', { signal: abort.signal }), (e: unknown) => e instanceof KubeError && e.reason === 'cancelled');
  client.close();
  sockets.forEach((s) => s.destroy());
  hang.close();
});

test('a closed port is "refused", naming the server', async () => {
  const s = net.createServer();
  const port = await listen(s);
  s.close();
  const client = await clientFor(`http://127.0.0.1:${port}`);
  await assert.rejects(client.request('/version'), (e: unknown) => e instanceof KubeError && e.reason === 'refused' && e.message.includes(`127.0.0.1:${port}`));
  client.close();
});

test('HTTP statuses map to reasons; the token never appears in the error', async () => {
  const server = http.createServer((req, res) => {
    const status = Number(req.url!.split('/')[1]);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', message: `secrets is forbidden: User "limited" cannot list resource "secrets"`, details: { kind: 'secrets' } }));
  });
  const port = await listen(server);
  const client = await clientFor(`http://127.0.0.1:${port}`);
  const expected: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 404: 'notFound', 409: 'conflict', 422: 'invalid', 429: 'tooManyRequests', 503: 'server' };
  for (const [status, reason] of Object.entries(expected)) {
    const err = await client.request(`/${status}`).then(() => undefined, (e: unknown) => e as KubeError);
    assert.equal(err?.reason, reason, `status ${status}`);
    assert.doesNotMatch(err!.message, /t0ken-value/);
  }
  client.close();
  server.close();
});

test('forbidden errors carry the verb and resource a person must ask for', () => {
  const e = fromHttpStatus(403, JSON.stringify({ message: 'no', details: { kind: 'secrets' } }), 'GET', '/api/v1/namespaces/argocd/secrets');
  assert.equal(e.details?.verb, 'list');
  assert.equal(e.details?.resource, 'secrets');
  assert.equal(fromHttpStatus(403, '{}', 'GET', '/api/v1/namespaces/argocd/secrets/argocd-secret').details?.verb, 'get');
  assert.equal(fromHttpStatus(403, '{}', 'POST', '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications').details?.verb, 'create');
});

test('listPages follows continue tokens, one page at a time', async () => {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const token = url.searchParams.get('continue');
    assert.equal(req.headers.authorization, 'Bearer t0ken-value');
    const page = token === null ? { items: [{ metadata: { name: 'a' } }], metadata: { continue: 'p2' } } : token === 'p2' ? { items: [{ metadata: { name: 'b' } }], metadata: { continue: 'p3' } } : { items: [{ metadata: { name: 'c' } }], metadata: {} };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(page));
  });
  const port = await listen(server);
  const client = await clientFor(`http://127.0.0.1:${port}`);
  const pages: string[][] = [];
  for await (const p of client.listPages({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true }, 'ns', { limit: 1 })) pages.push(p.items.map((i) => i.metadata!.name!));
  assert.deepEqual(pages, [['a'], ['b'], ['c']]);
  client.close();
  server.close();
});
