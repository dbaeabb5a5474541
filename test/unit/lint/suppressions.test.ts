import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintBackupText } from '../../../src/core/lint/lintBackup';
import { suppressionFixes } from '../../../src/core/lint/suppressions';
import { lintFixturesDir } from '../../fixtures/lint/expectations';
import { applyEdits } from './applyEdits';

const dir = lintFixturesDir(__dirname);
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
const codes = (text: string, o = {}) => lintBackupText(text, o).findings.map((f) => f.code);

test('suppressions: disable-next-line hides only the named code on the next line', () => {
  const text = read('DRL011-missing-cluster.backup.yaml');
  assert.deepEqual(codes(text), ['DRL011', 'DRL011']);
  const hidden = text.replace('    server: https://staging', '    # gitops-dr-disable-next-line DRL011\n    server: https://staging');
  assert.deepEqual(codes(hidden), ['DRL011']);
  const wrongCode = text.replace('    server: https://staging', '    # gitops-dr-disable-next-line DRL012\n    server: https://staging');
  assert.deepEqual(codes(wrongCode), ['DRL011', 'DRL011']);
  const twoLinesAbove = text.replace('    server: https://staging', '    # gitops-dr-disable-next-line DRL011\n\n    server: https://staging');
  assert.deepEqual(codes(twoLinesAbove), ['DRL011', 'DRL011']);
});

test('suppressions: disable (file-wide) with several codes, commas, a reason, or no code at all', () => {
  const text = read('DRL011-missing-cluster.backup.yaml');
  assert.deepEqual(codes(`# gitops-dr-disable DRL010, DRL011 -- staging is registered on the target\n${text}`), []);
  assert.deepEqual(codes(`${text}# gitops-dr-disable\n`), []);
  assert.deepEqual(codes(`# gitops-dr-disable DRL012\n${text}`), ['DRL011', 'DRL011']);
});

test('suppressions: a marker inside a value is not a comment', () => {
  const text = read('DRL011-missing-cluster.backup.yaml').replace('  admin.enabled: "true"\n', '  note: "gitops-dr-disable DRL011"\n');
  assert.deepEqual(codes(text), ['DRL011', 'DRL011']);
});

test('suppressions: reader errors cannot be suppressed', () => {
  const text = `# gitops-dr-disable\n${read('BK001-yaml-syntax.backup.yaml')}`;
  assert.deepEqual(codes(text), ['BK001']);
});

test('suppressions: option suppressions=false reports everything', () => {
  assert.deepEqual(codes(read('suppressed.backup.yaml'), { suppressions: false }).sort(), ['DRL010', 'DRL012', 'DRL013']);
});

test('suppressions: the suppression quick fixes insert a comment that hides the finding', () => {
  const text = read('DRL012-repository-without-credentials.backup.yaml');
  const { parsed, findings } = lintBackupText(text);
  const [line, file] = suppressionFixes(parsed, findings[0]!);
  assert.equal(line!.title, 'Suppress DRL012 on this line');
  assert.equal(line!.edits[0]!.newText, '    # gitops-dr-disable-next-line DRL012\n');
  assert.deepEqual(codes(applyEdits(text, line!.edits)), []);
  assert.equal(file!.title, 'Suppress DRL012 in this file');
  assert.deepEqual(codes(applyEdits(text, file!.edits)), []);
});

test('suppressions: no suppression fixes for JSON (no comments) or reader errors', () => {
  const json = lintBackupText('{"apiVersion":"v1","kind":"Deployment","metadata":{"name":"x"}}');
  assert.deepEqual(suppressionFixes(json.parsed, json.findings.find((f) => f.code === 'DRL005')!), []);
  const bad = lintBackupText(read('BK001-yaml-syntax.backup.yaml'));
  assert.deepEqual(suppressionFixes(bad.parsed, bad.findings[0]!), []);
});
