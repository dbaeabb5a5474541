import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintBackup, lintBackupText, type LintFinding } from '../../../src/core/lint/lintBackup';
import { readBackup } from '../../../src/core/yaml/readBackup';
import { RULES } from '../../../src/core/lint/catalogue';
import { FIXTURES, lintFixturesDir } from '../../fixtures/lint/expectations';
import { applyEdits } from './applyEdits';

const dir = lintFixturesDir(__dirname);

function show(f: LintFinding): string {
  const r = f.range;
  return `${f.code}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

for (const fx of FIXTURES) {
  test(`lint fixture ${fx.file}: ${fx.expected.length ? fx.expected.join(', ') : 'clean'}`, () => {
    const bytes = fs.readFileSync(path.join(dir, fx.file));
    const { findings } = lintBackupText(fx.bytes ? bytes : bytes.toString('utf8'), fx.options ?? {});
    assert.deepEqual(findings.map(show), fx.expected);
    for (const f of findings) {
      const rule = (RULES as Record<string, { severity: string }>)[f.code];
      assert.ok(rule, `${f.code} is in the catalogue`);
      assert.equal(f.severity, rule.severity, `${f.code} severity matches the catalogue`);
      assert.ok(f.message.length > 20, 'a message that says something');
    }
    if (fx.fixes) assert.deepEqual(findings.map((f) => f.fix?.title), fx.fixes);
  });
}

test('lint fixtures: every rule code in the catalogue is exercised by some fixture', () => {
  const covered = new Set(FIXTURES.flatMap((f) => f.expected.map((e) => e.split('@')[0])));
  // Reader limits are exercised by the hostile-input tests (generated, not committed).
  const generated = new Set(['BK005', 'BK006', 'BK007', 'BK008', 'BK009', 'BK010']);
  const missing = Object.keys(RULES).filter((c) => !covered.has(c) && !generated.has(c));
  assert.deepEqual(missing, []);
});

test('lint fixes: applying each fix makes its finding go away and leaves a file that reads cleanly', () => {
  let applied = 0;
  for (const fx of FIXTURES.filter((f) => f.fixes)) {
    const text = fs.readFileSync(path.join(dir, fx.file), 'utf8');
    const { findings } = lintBackupText(text, fx.options ?? {});
    for (const f of findings) {
      if (!f.fix) continue;
      const fixed = applyEdits(text, f.fix.edits);
      const after = lintBackupText(fixed, fx.options ?? {});
      const stillThere = after.findings.filter((g) => g.code === f.code);
      assert.equal(stillThere.length, findings.filter((g) => g.code === f.code).length - 1, `${fx.file}: "${f.fix.title}" removes one ${f.code}`);
      assert.deepEqual(after.parsed.problems.filter((p) => p.severity === 'error'), [], `${fx.file}: still well-formed after "${f.fix.title}"`);
      applied++;
    }
  }
  assert.ok(applied >= 12, `applied ${applied} fixes`);
});

test('lint fixes: the remove-document fix deletes exactly the object and its --- marker', () => {
  const text = fs.readFileSync(path.join(dir, 'DRL006-not-exported.backup.yaml'), 'utf8');
  const { findings } = lintBackupText(text);
  const stray = findings.find((f) => f.message.startsWith('ConfigMap my-settings'))!;
  const fixed = applyEdits(text, stray.fix!.edits);
  assert.equal(fixed, text.replace('---\napiVersion: v1\ndata:\n  color: blue\nkind: ConfigMap\nmetadata:\n  name: my-settings\n', ''));
  assert.equal(readBackup(fixed).documents.length, readBackup(text).documents.length - 1);
});

test('lint fixes: remove .operation drops its lines and nothing else', () => {
  const text = fs.readFileSync(path.join(dir, 'DRL014-operation.backup.yaml'), 'utf8');
  const f = lintBackupText(text).findings[0]!;
  const fixed = applyEdits(text, f.fix!.edits);
  assert.equal(fixed, fs.readFileSync(path.join(dir, 'clean.backup.yaml'), 'utf8'));
});

test('lint fixes: remove .operation in a JSON stream keeps the JSON valid', () => {
  const obj = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, operation: { sync: { revision: 'x' } }, spec: { project: 'default' } };
  const text = `${JSON.stringify(obj, null, 2)}\n`;
  const parsed = readBackup(text);
  const f = lintBackup(parsed).find((x) => x.code === 'DRL014')!;
  const fixed = applyEdits(text, f.fix!.edits);
  const back = JSON.parse(fixed) as Record<string, unknown>;
  assert.equal(back.operation, undefined);
  assert.deepEqual(back.spec, { project: 'default' });
});

test('lint fixes: the inserted ConfigMap stub satisfies the missing-ConfigMap rule', () => {
  const text = fs.readFileSync(path.join(dir, 'DRL001-missing-configmap.backup.yaml'), 'utf8');
  const f = lintBackupText(text).findings.find((x) => x.code === 'DRL001')!;
  const fixed = applyEdits(text, f.fix!.edits);
  assert.ok(fixed.startsWith('apiVersion: v1\ndata: {}\nkind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\n---\n'));
  assert.deepEqual(lintBackupText(fixed).findings, []);
});
