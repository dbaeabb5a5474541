// Discovery against real kube-apiservers: the demo scenario, the limited identity, a hanging server, and one
// scenario per broken DR rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { discoverAll, discoverContext } from '../../../src/core/agents/discover';
import type { ContextStatus } from '../../../src/core/agents/model';
import { runCli } from '../../../src/cli/main';
import { allowSyncs, blockSyncs } from '../../../src/core/syncWindows/onCluster';
import { mergedKubeconfigFiles, scenario } from '../support/clusters';
import { captureIO } from '../support/cliIO';

// Reachable servers answer at once; the timeout only bounds the hanging `offline` context. Generous, so that a
// loaded 2-core machine (several clusters starting beside the test) cannot turn a slow answer into a missing agent.
const ANSWER_TIMEOUT_MS = 10_000;

test('demo: one DR pair east/west, one single agent on lab, one unreachable context', async () => {
  const s = await scenario('demo');
  const kc = await loadKubeconfig([s.kubeconfig]);
  const snap = await discoverAll(kc, { timeoutMs: ANSWER_TIMEOUT_MS });

  assert.equal(snap.groups.length, 1, 'one DR pair');
  const pair = snap.groups[0]!;
  assert.deepEqual(pair.members.map((m) => m.context), ['east', 'west']);
  assert.ok(pair.members.every((m) => m.namespace === 'argocd'));
  assert.ok(pair.members.every((m) => m.drIdentifier), 'both members have DR identifiers');
  assert.notEqual(pair.members[0]!.drIdentifier, pair.members[1]!.drIdentifier);
  const east = pair.members[0]!;
  // 40 in argocd + 5 in the enabled team-* namespaces; the one in `sandbox` is not enabled, so Argo CD ignores it.
  assert.equal(east.counts.applications, 45);
  assert.equal(east.counts.applicationSets, 2);
  assert.equal(east.availability, 'NON-HA');
  assert.ok(east.version, 'agent version read from the image tag');
  assert.ok(east.argoComponents.some((c) => c.name === 'argocd-application-controller' && c.kind === 'StatefulSet'));
  assert.equal(pair.members[1]!.counts.applications, 0);
  // The only finding on a freshly set up demo pair: west is not yet restored.
  assert.deepEqual(pair.findings.map((f) => f.code), ['DR008']);

  assert.equal(snap.singles.length, 1);
  assert.equal(snap.singles[0]!.context, 'lab');
  assert.equal(snap.singles[0]!.availability, 'HA');
  assert.notEqual(snap.singles[0]!.namespace, 'argocd');

  const down = snap.contexts.filter((c) => c.state === 'unreachable');
  assert.deepEqual(down.map((c) => c.name), ['offline']);
  assert.match(down[0]!.reason!, /^timeout/);
  assert.ok(snap.contexts.filter((c) => c.state === 'reachable').every((c) => c.serverVersion === 'v1.36.3' && c.clusterId && !c.clusterId.startsWith('server:')));
});

test('discovery tells a fenced member: open as seeded, fenced after Block Syncs, open again after Allow Syncs', async () => {
  const s = await scenario('demo');
  const kc = await loadKubeconfig([s.kubeconfig]);
  const client = await KubeClient.forContext(kc, 'west', { timeoutMs: 5000 });
  const info = kc.contexts.find((c) => c.name === 'west')!;
  const west = async () => (await discoverContext(client, info)).agents.find((a) => a.namespace === 'argocd')!;
  try {
    const before = await west();
    assert.equal(before.syncs?.state, 'open', JSON.stringify(before.syncs));
    assert.equal(before.syncs?.projects, before.counts.appProjects);
    const blocked = await blockSyncs(client, 'argocd');
    assert.ok(blocked.ok);
    assert.deepEqual((await west()).syncs, { state: 'fenced', blocked: blocked.projects.length, projects: blocked.projects.length });
  } finally {
    assert.ok((await allowSyncs(client, 'argocd')).ok);
    try {
      assert.equal((await west()).syncs?.state, 'open');
    } finally {
      client.close();
    }
  }
});

test('the limited identity (no Secrets) still finds the agents, and its Secret counts are unknown, not zero', async () => {
  const s = await scenario('demo');
  const kc = await loadKubeconfig([s.limitedKubeconfig]);
  const snap = await discoverAll(kc, { timeoutMs: ANSWER_TIMEOUT_MS });
  const east = [...snap.groups.flatMap((g) => g.members), ...snap.singles].find((a) => a.context === 'east-limited');
  assert.ok(east, 'agent on east found through east-limited');
  assert.equal(east.counts.applications, 45);
  assert.equal(east.counts.repositories, undefined);
  assert.equal(east.counts.clusters, undefined);
});

test('merging admin and limited kubeconfigs: each agent appears once, the other context listed in alsoVia', async () => {
  const s = await scenario('demo');
  const kc = await loadKubeconfig(mergedKubeconfigFiles(s));
  const snap = await discoverAll(kc, { timeoutMs: ANSWER_TIMEOUT_MS });
  const all = [...snap.groups.flatMap((g) => g.members), ...snap.singles];
  const east = all.filter((a) => a.clusterId === all.find((x) => x.context === 'east')!.clusterId && a.namespace === 'argocd');
  assert.equal(east.length, 1);
  assert.deepEqual(east[0]!.alsoVia, ['east-limited']);
  assert.equal(snap.groups.length, 1, 'the same cluster through two contexts is not a second member');
});

test('a hanging server does not delay the other contexts beyond one timeout', async () => {
  const s = await scenario('demo');
  const kc = await loadKubeconfig([s.kubeconfig]);
  const timeoutMs = 5000;
  const answered: Array<{ name: string; at: number; status: ContextStatus }> = [];
  const started = Date.now();
  await discoverAll(kc, { timeoutMs, onContext: (status) => answered.push({ name: status.name, at: Date.now() - started, status }) });
  const total = Date.now() - started;
  const offline = answered.find((a) => a.name === 'offline')!;
  assert.equal(offline.status.state, 'unreachable');
  assert.ok(offline.at >= timeoutMs - 50, `offline gave up after its timeout (${offline.at} ms)`);
  for (const a of answered.filter((x) => x.name !== 'offline')) assert.ok(a.at < offline.at, `${a.name} answered (${a.at} ms) before the hanging context timed out (${offline.at} ms)`);
  assert.ok(total < timeoutMs + 1000, `whole discovery took ${total} ms, at most one timeout (${timeoutMs} ms) + 1 s`);
});

test('a refused port and an unknown host give reasons a person can act on', async () => {
  const s = await scenario('demo');
  const kc = await loadKubeconfig([s.kubeconfig]);
  const info = kc.contexts.find((c) => c.name === 'east')!;
  const base = await KubeClient.forContext(kc, 'east', { timeoutMs: 2000 });
  // Same credentials, other servers: rebuild the client through a kubeconfig copy pointing elsewhere.
  const dir = mkdtempSync(join(tmpdir(), 'gitops-dr-kc-'));
  const text = readFileSync(s.kubeconfig, 'utf8');
  const refused = join(dir, 'refused.yaml');
  writeFileSync(refused, text.split(base.server).join('https://127.0.0.1:1'));
  const dns = join(dir, 'dns.yaml');
  writeFileSync(dns, text.split(base.server).join('https://no-such-host.invalid:6443'));
  base.close();
  for (const [file, reason] of [[refused, /^refused: connection refused/], [dns, /^dns: host not found/]] as const) {
    const other = await loadKubeconfig([file]);
    const client = await KubeClient.forContext(other, 'east', { timeoutMs: 2000 });
    const status = await discoverContext(client, { ...info, file });
    client.close();
    assert.equal(status.state, 'unreachable');
    assert.match(status.reason!, reason);
  }
});

const RULE_SCENARIOS: Array<[string, string]> = [
  ['rule-namespace', 'DR001'],
  ['rule-same-cluster', 'DR002'],
  ['rule-type', 'DR003'],
  ['rule-type', 'DR004'],
  ['rule-no-dr', 'DR006'],
  ['rule-version-skew', 'DR005'],
];

for (const [name, code] of RULE_SCENARIOS) {
  test(`scenario ${name} gives finding ${code}`, async () => {
    const s = await scenario(name);
    const kc = await loadKubeconfig([s.kubeconfig]);
    const snap = await discoverAll(kc, { timeoutMs: ANSWER_TIMEOUT_MS });
    const findings = snap.groups.flatMap((g) => g.findings);
    assert.ok(findings.some((f) => f.code === code), `${code} expected, got ${findings.map((f) => f.code).join(', ') || 'none'}`);
  });
}

test('CLI: gitops-dr agents -o json prints the pair, the single agent and the unreachable context', async () => {
  const s = await scenario('demo');
  const io = captureIO();
  const code = await runCli(['agents', '--kubeconfig', s.kubeconfig, '--timeout', '10', '-o', 'json'], io);
  assert.equal(code, 0, io.err());
  const out = JSON.parse(io.out()) as { pairs: Array<{ members: Array<{ context: string }>; findings: Array<{ code: string }> }>; singles: Array<{ context: string }>; unreachable: Array<{ context: string; reason: string }> };
  assert.deepEqual(out.pairs[0]!.members.map((m) => m.context), ['east', 'west']);
  assert.deepEqual(out.pairs[0]!.findings.map((f) => f.code), ['DR008']);
  assert.deepEqual(out.singles.map((a) => a.context), ['lab']);
  assert.equal(out.unreachable[0]!.context, 'offline');
  assert.doesNotMatch(io.out(), /GITOPS_AGENT_TOKEN|password/i);
});

test('CLI: gitops-dr agents exits 1 when a DR rule is broken, and says which', async () => {
  const s = await scenario('rule-no-dr');
  const io = captureIO();
  const code = await runCli(['agents', '--kubeconfig', s.kubeconfig, '--timeout', '10'], io);
  assert.equal(code, 1);
  assert.match(io.out(), /error DR006 .*reconcilers delete each other's entities/);
});

test('CLI: a missing kubeconfig file is a usage error that names the file', async () => {
  const io = captureIO();
  const code = await runCli(['contexts', '--kubeconfig', '/nonexistent/kubeconfig'], io);
  assert.equal(code, 2);
  assert.match(io.err(), /\/nonexistent\/kubeconfig/);
});
