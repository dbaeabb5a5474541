import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_BACKUP_GLOBS, globToRegExp, isBackupText, looksLikeBackup, matchesBackupGlobs } from '../../../src/core/lint/backupDetection';
import { readBackup } from '../../../src/core/yaml/readBackup';
import { FIXTURES, lintFixturesDir, NOT_A_BACKUP } from '../../fixtures/lint/expectations';

const dir = lintFixturesDir(__dirname);

test('detection: every backup fixture passes the content check, the ordinary manifest does not', () => {
  for (const fx of FIXTURES) {
    const text = fs.readFileSync(path.join(dir, fx.file), 'utf8');
    assert.equal(isBackupText(text), true, fx.file);
    assert.equal(looksLikeBackup(readBackup(text)), true, fx.file);
  }
  const plain = fs.readFileSync(path.join(dir, NOT_A_BACKUP), 'utf8');
  assert.equal(isBackupText(plain), false);
  assert.equal(looksLikeBackup(readBackup(plain)), false);
});

test('detection: mostly-argoproj files are backups; a single Application among many other kinds is not', () => {
  const appDoc = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n';
  const other = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n';
  assert.equal(isBackupText(`${appDoc}---\n${appDoc}---\n${other}`), true);
  assert.equal(isBackupText(`${appDoc}---\n${other}---\n${other}---\n${other}`), false);
  assert.equal(isBackupText(''), false);
  assert.equal(isBackupText('a: 1\n'), false);
  assert.equal(isBackupText('{"apiVersion":"argoproj.io/v1alpha1","kind":"AppProject","metadata":{"name":"p"}}'), true);
  // A half-typed file with a syntax error is still recognised.
  assert.equal(isBackupText(`${appDoc}spec: [unclosed\n`), true);
});

test('detection: an argocd-cm ConfigMap alone makes a backup (an Argo CD export always starts with it)', () => {
  assert.equal(isBackupText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n'), true);
  assert.equal(isBackupText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm-extra\n'), false);
});

test('globs: the defaults match *.backup.yaml and *backup*.yml/.yaml anywhere, nothing else', () => {
  const yes = ['east.backup.yaml', '/home/u/dr/east.backup.yaml', 'backups/backup-2024.yml', 'C:\\dr\\my-backup.yaml', 'x/argocd-backup-east.yaml'];
  const no = ['east.yaml', 'backup.json', 'deploy/values.yaml', 'backup.yamlx', 'notes/backup.txt'];
  for (const p of yes) assert.equal(matchesBackupGlobs(p, DEFAULT_BACKUP_GLOBS), true, p);
  for (const p of no) assert.equal(matchesBackupGlobs(p, DEFAULT_BACKUP_GLOBS), false, p);
});

test('globs: braces, character classes, extglobs and ** in the middle', () => {
  assert.equal(globToRegExp('**/*.{yaml,yml}').test('a/b/c.yml'), true);
  assert.equal(globToRegExp('dr/**/*.json').test('dr/x/y/z.json'), true);
  assert.equal(globToRegExp('dr/**/*.json').test('dr/z.json'), true);
  assert.equal(globToRegExp('dr/**/*.json').test('other/z.json'), false);
  assert.equal(globToRegExp('backup-[0-9].yaml').test('backup-7.yaml'), true);
  assert.equal(globToRegExp('backup-[!0-9].yaml').test('backup-7.yaml'), false);
  assert.equal(globToRegExp('*.+(a|b)').test('x.abba'), true);
  assert.equal(globToRegExp('!(*.json)').test('x.yaml'), true);
  assert.equal(globToRegExp('!(*.json)').test('x.json'), false);
  assert.equal(globToRegExp('a.b').test('axb'), false, 'dots are literal');
});
