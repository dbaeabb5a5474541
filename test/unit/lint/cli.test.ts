import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { captureIO } from '../../integration/support/cliIO';
import { lintFixturesDir } from '../../fixtures/lint/expectations';

const dir = lintFixturesDir(__dirname);

async function lint(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const io = { ...captureIO(stdin), cwd: dir };
  const code = await runCli(['lint', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

test('cli lint: a clean backup exits 0 with no finding lines', async () => {
  const r = await lint(['clean.backup.yaml']);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  assert.match(r.err, /0 errors, 0 warnings, 0 info in 1 file/);
});

test('cli lint: gcc-style lines (1-based) and exit 1 when there are errors', async () => {
  const r = await lint(['DRL003-harness-agent-objects.backup.yaml', 'DRL010-missing-project.backup.yaml']);
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0]!, /^DRL003-harness-agent-objects\.backup\.yaml:176:9: error DRL003 ConfigMap gitops-agent belongs to the Harness GitOps agent/);
  assert.match(lines[4]!, /^DRL010-missing-project\.backup\.yaml:115:12: warning DRL010 Application guestbook uses AppProject team-b/);
  assert.match(r.err, /4 errors, 1 warning, 0 info in 2 files/);
});

test('cli lint: warnings alone exit 0', async () => {
  const r = await lint(['DRL014-operation.backup.yaml']);
  assert.equal(r.code, 0);
  assert.match(r.out, /:111:1: warning DRL014 /);
});

test('cli lint: -o json gives positions, codes and fix titles', async () => {
  const r = await lint(['-o', 'json', 'DRL007-duplicate.backup.yaml']);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.out) as { files: Array<{ file: string; findings: Array<Record<string, unknown>> }> };
  assert.deepEqual(json.files[0]!.findings[0], {
    code: 'DRL007',
    severity: 'error',
    message: 'Application guestbook is already in the file (document at line 105): on restore the later copy overwrites the first',
    line: 171,
    column: 9,
    endLine: 171,
    endColumn: 18,
    documentIndex: 12,
    fix: 'Remove this duplicate Application guestbook from the backup',
  });
});

test('cli lint: --namespace and --application-namespaces reach the rules', async () => {
  const f = 'DRL009-app-namespace-not-enabled.backup.yaml';
  assert.doesNotMatch((await lint([f])).out, /DRL009/);
  const r = await lint(['-n', 'argocd', '--application-namespaces', 'team-a-*', f]);
  assert.match(r.out, /:184:14: warning DRL009 Application stray-app is in namespace sandbox/);
  assert.doesNotMatch(r.out, /team-app/);
});

test('cli lint: --ignore-suppressions reports what comments hide', async () => {
  assert.equal((await lint(['suppressed.backup.yaml'])).out.trim().split('\n').length, 1);
  assert.equal((await lint(['--ignore-suppressions', 'suppressed.backup.yaml'])).out.trim().split('\n').length, 3);
});

test('cli lint: standard input with "-"', async () => {
  const r = await lint(['-'], fs.readFileSync(path.join(dir, 'BK001-yaml-syntax.backup.yaml'), 'utf8'));
  assert.equal(r.code, 1);
  assert.match(r.out, /^<stdin>:120:1: error BK001 YAML syntax error: All mapping items must start at the same column\n$/);
});

test('cli lint: unreadable files exit 2 naming the file; the others are still linted', async () => {
  const r = await lint(['nope.backup.yaml', 'DRL010-missing-project.backup.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read nope\.backup\.yaml: no such file/);
  assert.match(r.out, /DRL010/);
  const d = await lint(['.']);
  assert.equal(d.code, 2);
  assert.match(d.err, /cannot read \.: is a directory/);
});

test('cli lint: bad usage exits 2', async () => {
  assert.equal((await lint([])).code, 2);
  const bad = await lint(['-o', 'xml', 'clean.backup.yaml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /-o must be text or json, got "xml"/);
  assert.match((await lint(['--frob', 'x'])).err, /unknown option --frob/);
});

test('cli lint: --rules lists the catalogue', async () => {
  const r = await lint(['--rules']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^DRL003 error {3}Harness agent object: /m);
  assert.match(r.out, /^BK006 {2}error {3}Scalar too large: /m);
});

test('cli lint: a hostile file (50 MB scalar) gets a positioned error, not a crash', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-lint-'));
  try {
    const file = path.join(tmp, 'huge.backup.yaml');
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${'x'.repeat(50 * 1024 * 1024)}\n`);
    const r = await lint([file]);
    assert.equal(r.code, 1);
    assert.match(r.out, /huge\.backup\.yaml:6:6: error BK006 a scalar of 50 MiB is larger than the limit of 1\.5 MiB/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
