// A refresh of the tree (KubeAccess.reset) closes discovery's clients; the clients of a long operation are its own
// and keep their requests, and take the operation's timeout instead of the probe's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type * as net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeAccess, OPERATION_TIMEOUT_MS } from '../../../src/extension/kubeAccess';
import type { Settings } from '../../../src/extension/settings';

async function slowServer(delayMs: number): Promise<{ url: string; close(): void }> {
  const server = http.createServer((_req, res) => setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'), delayMs));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => server.close() };
}

function access(server: string): KubeAccess {
  const file = join(mkdtempSync(join(tmpdir(), 'gitops-dr-access-')), 'kc.yaml');
  writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t0ken-value\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\ncurrent-context: ctx\n`);
  const settings = { kubeconfigPaths: [file], probeTimeoutMs: 5000, refreshIntervalMs: 0, agentNamespaces: [], backupFileGlobs: [], harnessBaseUrl: '', harnessAccount: '' } as Settings;
  return new KubeAccess(() => settings);
}

test('a refresh during a request of an operation client does not reset it; a discovery request is reset', async () => {
  const server = await slowServer(300);
  const kube = access(server.url);
  const op = kube.forOperation('restore');
  try {
    const opClient = await op.client('ctx');
    const probe = await kube.client('ctx');
    assert.notStrictEqual(opClient, probe);
    assert.equal(opClient.timeoutMs, OPERATION_TIMEOUT_MS.restore);
    assert.equal(probe.timeoutMs, 5000);
    const inFlight = opClient.request<{ ok: boolean }>('/slow');
    const probing = assert.rejects(probe.request('/slow'), 'the discovery request is cut by the refresh (what an operation used to suffer)');
    await new Promise((r) => setTimeout(r, 50));
    kube.reset();
    assert.deepEqual(await inFlight, { ok: true });
    await probing;
    // The same operation keeps its client after the refresh.
    assert.strictEqual(await op.client('ctx'), opClient);
  } finally {
    op.dispose();
    server.close();
  }
});
