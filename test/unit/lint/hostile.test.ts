// Malformed and hostile input through the whole linter: a diagnostic with a position, no hang, no crash.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintBackupText } from '../../../src/core/lint/lintBackup';
import { lintFixturesDir } from '../../fixtures/lint/expectations';

const clean = fs.readFileSync(path.join(lintFixturesDir(__dirname), 'clean.backup.yaml'), 'utf8');

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = Date.now();
  const value = f();
  return { value, ms: Date.now() - t };
}

test('hostile: an alias bomb gives BK005 and the rest of the backup is still linted', () => {
  const rows = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: bomb', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const l of 'bcdefghij') rows.push(`  ${l}: &${l} [${Array(9).fill(`*${String.fromCharCode(l.charCodeAt(0) - 1)}`).join(',')}]`);
  const { value, ms } = timed(() => lintBackupText(`${clean}${rows.join('\n')}\n`));
  assert.deepEqual(value.findings.map((f) => f.code), ['BK005']);
  assert.equal(value.findings[0]!.range.start.line, clean.split('\n').length - 1 + 6);
  assert.ok(ms < 10_000, `${ms} ms`);
});

test('hostile: one 50 MB scalar gives BK006 (an error naming the etcd limit) without a hang', () => {
  const { value, ms } = timed(() => lintBackupText(`${clean}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  blob: ${'A'.repeat(50 * 1024 * 1024)}\n`));
  assert.deepEqual(value.findings.map((f) => f.code), ['BK006']);
  assert.match(value.findings[0]!.message, /etcd/);
  assert.ok(ms < 30_000, `${ms} ms`);
});

test('hostile: nesting 10,000 levels deep gives BK007 without a stack overflow', () => {
  let deep = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n';
  for (let i = 1; i <= 10_000; i++) deep += `${' '.repeat(i + 1)}- k:\n`;
  const { value } = timed(() => lintBackupText(`${clean}${deep}`));
  assert.deepEqual(value.findings.map((f) => f.code), ['BK007']);
  const flow = lintBackupText(`${clean}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: {a: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}}\n`);
  assert.deepEqual(flow.findings.map((f) => f.code), ['BK007']);
});

test('hostile: binary junk and unbalanced brackets give positioned errors, never an exception', () => {
  const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  const samples = [junk, '{{{{', ']]]]', '"unterminated', ': : :', '---\n...\n...\n', '\t\tkind: x', '%YAML 9.9\n---\na: 1\n', '[1, 2', '- &a *a\n'];
  for (const s of samples) {
    const { findings } = lintBackupText(s);
    for (const f of findings) assert.ok(f.range.start.line >= 0 && f.range.endOffset <= s.length, JSON.stringify(s.slice(0, 20)));
  }
});
