// The linter on backups made by the backup command against the real demo clusters: what `gitops-dr backup` writes
// lints clean (the only findings are the sync the demo seeds in flight), through the core and through the CLI; and
// the 5,000-Application backup of the scale scenario is read by the canonical fast path exactly as the yaml package
// reads it, and lints without errors (its speed is measured by `npm run bench`, not here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { exportBackup } from '../../../src/core/backup';
import { readBackup } from '../../../src/core/yaml/readBackup';
import { readCanonicalYaml } from '../../../src/core/yaml/canonicalYaml';
import { DEFAULT_READ_LIMITS } from '../../../src/core/yaml/yamlLimits';
import { lintBackup } from '../../../src/core/lint/lintBackup';
import { looksLikeBackup } from '../../../src/core/lint/backupDetection';
import { runCli } from '../../../src/cli/main';
import { scenario } from '../support/clusters';
import { captureIO } from '../support/cliIO';

async function backupText(scenarioName: string, context: string, namespace: string): Promise<string> {
  const s = await scenario(scenarioName);
  const client = await KubeClient.forContext(await loadKubeconfig([s.kubeconfig]), context, { timeoutMs: 60_000 });
  try {
    let text = '';
    await exportBackup(client, { namespace }, (chunk) => {
      text += chunk;
    });
    return text;
  } finally {
    client.close();
  }
}

test('lint: the backup of the demo primary (east) lints clean but for the sync the demo seeds in flight', async () => {
  const text = await backupText('demo', 'east', 'argocd');
  const parsed = readBackup(text);
  assert.deepEqual(parsed.problems, []);
  assert.equal(looksLikeBackup(parsed), true);
  const findings = lintBackup(parsed, { argoNamespace: 'argocd', enabledNamespaces: ['team-*'] });
  // payments-api-dev carries .operation and status.operationState.phase Running (scenario demo, operationsInFlight 1).
  assert.deepEqual(
    findings.map((f) => `${f.code} ${f.severity} ${f.message.split(' ').slice(0, 2).join(' ')}`),
    ['DRL014 warning Application payments-api-dev', 'DRL017 warning Application payments-api-dev'],
  );
  const op = findings[0]!;
  assert.equal(text.slice(op.range.startOffset, op.range.endOffset).split('\n')[0], 'operation:');
  assert.ok(op.fix, 'remove .operation is offered');
  // Nothing of the Harness agent got into the backup, and every reference resolves.
  assert.equal(findings.filter((f) => f.severity === 'error').length, 0);
});

test('lint: the backup of the demo HA agent (lab) has no errors or warnings', async () => {
  const text = await backupText('demo', 'lab', 'harness-gitops');
  const findings = lintBackup(readBackup(text), { argoNamespace: 'harness-gitops' });
  assert.deepEqual(findings.filter((f) => f.severity !== 'info'), []);
  // Its Applications use repositories without credentials in the backup: reported as info only.
  assert.ok(findings.every((f) => f.code === 'DRL012' || f.code === 'DRL013'));
});

test('lint: gitops-dr backup then gitops-dr lint (the CI path) exits 0 with file:line:col warnings', async () => {
  const s = await scenario('demo');
  const dir = mkdtempSync(join(tmpdir(), 'gitops-dr-lint-int-'));
  try {
    const file = join(dir, 'east.backup.yaml');
    const backup = { ...captureIO(), cwd: dir };
    assert.equal(await runCli(['backup', '--kubeconfig', s.kubeconfig, '--context', 'east', '-n', 'argocd', '-o', file], backup), 0, backup.err());
    const io = { ...captureIO(), cwd: dir };
    const code = await runCli(['lint', '-n', 'argocd', '--application-namespaces', 'team-*', 'east.backup.yaml'], io);
    assert.equal(code, 0, io.err());
    const lines = io.out().trim().split('\n');
    assert.equal(lines.length, 2);
    for (const l of lines) assert.match(l, /^east\.backup\.yaml:\d+:\d+: warning DRL01[47] Application payments-api-dev/);
    assert.match(io.err(), /0 errors, 2 warnings, 0 info in 1 file/);
    // The JSON output of the same file names the same two codes.
    const json = { ...captureIO(), cwd: dir };
    await runCli(['lint', '-o', 'json', 'east.backup.yaml'], json);
    const parsed = JSON.parse(json.out()) as { files: Array<{ findings: Array<{ code: string }> }> };
    assert.deepEqual(parsed.files[0]!.findings.map((f) => f.code), ['DRL014', 'DRL017']);
    assert.ok(readFileSync(file, 'utf8').length > 10_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lint: the scale backup (5,000 Applications, 500 Secrets) takes the fast path, reads as the yaml package reads it, and lints without errors', async () => {
  const text = await backupText('scale', 'bench', 'argocd');
  assert.ok(readCanonicalYaml(text, DEFAULT_READ_LIMITS), 'a backup as gitops-dr writes it is in the canonical subset');
  const parsed = readBackup(text);
  const reference = readBackup(text, { fastPath: false });
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(reference.problems, []);
  assert.ok(parsed.documents.length > 5_700, `${parsed.documents.length} documents`);
  assert.equal(parsed.documents.length, reference.documents.length);
  for (let i = 0; i < parsed.documents.length; i++) {
    const [a, b] = [parsed.documents[i]!, reference.documents[i]!];
    assert.deepStrictEqual(a.object, b.object, `document ${i}`);
    assert.deepEqual([a.range, a.extent], [b.range, b.extent], `document ${i} ranges`);
    for (const path of [['metadata', 'name'], ['spec', 'project'], ['spec', 'source', 'repoURL'], ['data']]) {
      assert.deepEqual(a.rangeOf(path), b.rangeOf(path), `document ${i} ${path.join('.')}`);
    }
  }
  const findings = lintBackup(parsed, { argoNamespace: 'argocd' });
  assert.equal(findings.filter((f) => f.severity === 'error').length, 0);
});
