import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { FakeKubeApi } from '../../support/fakeKubeApi';
import { captureIO } from '../../integration/support/cliIO';
import { NS, cmdParams, demoBackup, secret, withNamespace } from './fixtures';

function capture(stdin: string | Buffer = ''): { io: CliIO; out: () => string; err: () => string } {
  const io = captureIO(stdin, {}, os.tmpdir());
  return { io, out: io.out, err: io.err };
}

function backupFile(objects: unknown[], raw?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-cli-'));
  const file = path.join(dir, 'b.yaml');
  fs.writeFileSync(file, raw ?? objects.map((o) => stringify(o)).join('---\n'), { mode: 0o600 });
  return file;
}

const SECRET_VALUES = ['hunter2-repo-password', 's3cr3t-server-key', 'tok-abc'];
function assertNoSecrets(text: string): void {
  for (const v of SECRET_VALUES) assert.equal(text.includes(v) || text.includes(Buffer.from(v).toString('base64')), false, `output leaks ${v}`);
}

async function withServer(fn: (server: FakeKubeApi, kubeconfig: string) => Promise<void>): Promise<void> {
  const server = await FakeKubeApi.start();
  try {
    server.put(cmdParams());
    await fn(server, server.kubeconfigPath());
  } finally {
    await server.stop();
  }
}

test('without --apply: prints the plan, writes nothing, exit 0', async () => {
  await withServer(async (server, kubeconfig) => {
    const c = capture();
    const code = await runCli(['restore', backupFile(demoBackup()), '--kubeconfig', kubeconfig, '--context', 'fake'], c.io);
    assert.equal(code, 0, c.err());
    assert.match(c.out(), /Restore plan: .*b\.yaml -> context fake \(http:\/\/127\.0\.0\.1:\d+\), namespace argocd/);
    assert.match(c.out(), /11 to create/);
    assert.match(c.out(), /Nothing was written/);
    assert.equal(server.writes().length, 0);
    assertNoSecrets(c.out() + c.err());
  });
});

test('--apply prints Argo CD lines; a rerun is all unchanged; stdin with -', async () => {
  await withServer(async (server, kubeconfig) => {
    const c = capture();
    const file = backupFile(demoBackup());
    assert.equal(await runCli(['restore', file, '--kubeconfig', kubeconfig, '--apply'], c.io), 0, c.err());
    const lines = c.out().trim().split('\n');
    assert.equal(lines[0], '/ConfigMap argocd-cm in namespace argocd created');
    assert.ok(lines.includes('argoproj.io/Application billing in namespace team-a created'));
    assert.match(lines.at(-1)!, /11 created, 0 updated/);
    assert.ok(server.find('Secret', NS, 'repo-one'));
    assertNoSecrets(c.out() + c.err());

    const again = capture(fs.readFileSync(file, 'utf8'));
    assert.equal(await runCli(['restore', '-', '--kubeconfig', kubeconfig, '--apply'], again.io), 0, again.err());
    assert.match(again.out(), /0 created, 0 updated, 11 unchanged/);
  });
});

test('--dry-run: server-side dry run, lines end with (dry run), nothing stored', async () => {
  await withServer(async (server, kubeconfig) => {
    const c = capture();
    assert.equal(await runCli(['restore', backupFile(demoBackup()), '--kubeconfig', kubeconfig, '--dry-run'], c.io), 0, c.err());
    assert.ok(c.out().trim().split('\n').slice(0, -1).every((l) => l.endsWith('created (dry run)')), c.out());
    assert.equal(server.find('ConfigMap', NS, 'argocd-cm'), undefined);
  });
});

test('refusals: a non-Argo kind (with line:col), an empty stdin, a missing file, a bad flag', async () => {
  await withServer(async (server, kubeconfig) => {
    const bad = backupFile([], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n');
    const c1 = capture();
    assert.equal(await runCli(['restore', bad, '--kubeconfig', kubeconfig, '--apply'], c1.io), 1);
    assert.match(c1.err(), /refused/);
    assert.match(c1.err(), /Deployment \(apps\/v1\) is not a kind a restore handles/);
    const c2 = capture('');
    assert.equal(await runCli(['restore', '-', '--kubeconfig', kubeconfig, '--apply', '--prune'], c2.io), 1);
    assert.match(c2.err(), /empty/);
    const c3 = capture();
    assert.equal(await runCli(['restore', '/nonexistent/b.yaml', '--kubeconfig', kubeconfig], c3.io), 2);
    assert.match(c3.err(), /no such file/);
    const c4 = capture();
    assert.equal(await runCli(['restore', bad, '--kubeconfig', kubeconfig, '--frobnicate'], c4.io), 2);
    assert.match(c4.err(), /unknown option --frobnicate/);
    const c5 = capture();
    assert.equal(await runCli(['restore', bad, '--kubeconfig', kubeconfig, '--skip-resources-with-label', 'oops'], c5.io), 2);
    assert.equal(server.writes().length, 0);
  });
});

test('exit 3 when objects fail to apply; exit 1 for a plan with errors without --apply', async () => {
  await withServer(async (server, kubeconfig) => {
    server.faults.push((req) => (req.method === 'POST' && req.path.endsWith('/applications') ? { status: 422, reason: 'Invalid', message: 'spec.destination: Required value' } : undefined));
    const c = capture();
    assert.equal(await runCli(['restore', backupFile(demoBackup()), '--kubeconfig', kubeconfig, '--apply'], c.io), 3);
    assert.match(c.out(), /argoproj.io\/Application guestbook in namespace argocd failed: invalid \(422\)/);
    server.faults = [];
    server.forbidden.add('secrets/*');
    const c2 = capture();
    assert.equal(await runCli(['restore', backupFile(demoBackup()), '--kubeconfig', kubeconfig], c2.io), 1);
    assert.match(c2.out(), /Errors \(3\)/);
  });
});

test('-o json carries refs, actions and redacted diffs only', async () => {
  await withServer(async (server, kubeconfig) => {
    server.put(withNamespace(secret('repo-one', { url: 'https://github.com/example/apps', password: 'old-one-password' }), NS));
    const c = capture();
    assert.equal(await runCli(['restore', backupFile(demoBackup()), '--kubeconfig', kubeconfig, '-o', 'json'], c.io), 0, c.err());
    const report = JSON.parse(c.out()) as { plan: { entries: Array<{ ref: { name: string }; action: string; diff?: unknown }> } };
    const repo = report.plan.entries.find((e) => e.ref.name === 'repo-one')!;
    assert.equal(repo.action, 'update');
    assert.deepEqual(repo.diff, [{ path: 'data.password', before: '<changed>', after: '<changed>' }]);
    assertNoSecrets(c.out());
    assert.equal(c.out().includes('old-one-password') || c.out().includes(Buffer.from('old-one-password').toString('base64')), false);
  });
});

test('compare: exit 1 on drift, 0 when the namespace equals the backup', async () => {
  await withServer(async (_server, kubeconfig) => {
    const file = backupFile(demoBackup());
    const c = capture();
    assert.equal(await runCli(['compare', file, '--kubeconfig', kubeconfig], c.io), 1, c.err());
    assert.match(c.out(), /11 to create/);
    assert.equal(await runCli(['restore', file, '--kubeconfig', kubeconfig, '--apply'], capture().io), 0);
    const c2 = capture();
    assert.equal(await runCli(['compare', file, '--kubeconfig', kubeconfig], c2.io), 0, c2.out());
    const c3 = capture();
    assert.equal(await runCli(['compare', '--from-context', 'fake', '--kubeconfig', kubeconfig, '-n', NS], c3.io), 0, c3.out() + c3.err());
    assert.match(c3.out(), /fake\/argocd \(live\)/);
  });
});

test('the linter\'s errors refuse a restore in the CLI (a Harness agent Secret in the backup), nothing written', async () => {
  await withServer(async (server, kubeconfig) => {
    const agentSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gitops-agent' }, data: { GITOPS_AGENT_TOKEN: Buffer.from('agent-token-value').toString('base64') } };
    const c = capture();
    assert.equal(await runCli(['restore', backupFile([...demoBackup(), agentSecret]), '--kubeconfig', kubeconfig, '--apply'], c.io), 1);
    assert.match(c.err(), /b\.yaml:\d+:\d+: Secret gitops-agent belongs to the Harness GitOps agent.*\[DRL003\]/);
    assert.ok(!c.err().includes('agent-token-value') && !c.err().includes(Buffer.from('agent-token-value').toString('base64')));
    assert.equal(server.writes().length, 0);
  });
});

test('refusals: bytes that are not UTF-8 (a file or stdin) are refused with line:col and BK011; nothing is read from the cluster', async () => {
  await withServer(async (server, kubeconfig) => {
    const bytes = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  motd: "Caf'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-cli-'));
    const file = path.join(dir, 'latin1.yaml');
    fs.writeFileSync(file, bytes, { mode: 0o600 });
    const before = server.requests.length;
    for (const [args, stdin, label] of [[[file], '', file], [['-'], bytes, '<stdin>']] as const) {
      const c = capture(stdin);
      assert.equal(await runCli(['restore', ...args, '--kubeconfig', kubeconfig, '--apply'], c.io), 1);
      assert.ok(c.err().includes(`${label}:6:13: byte `), c.err());
      assert.match(c.err(), /not valid UTF-8.*\[BK011\]/);
    }
    assert.equal(server.writes().length, 0);
    assert.equal(server.requests.length, before);
  });
});
