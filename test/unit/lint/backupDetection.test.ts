import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_BACKUP_GLOBS, isBackupText, looksLikeBackup, matchesBackupGlobs } from '../../../src/core/lint/backupDetection';
import { compileGlobs, globProblem, settingProblem } from '../../../src/core/util/glob';
import { isNamespaceEnabled } from '../../../src/core/argo/namespaces';
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
  const m = (g: string, p: string): boolean => compileGlobs([g]).matches(p);
  assert.equal(m('**/*.{yaml,yml}', 'a/b/c.yml'), true);
  assert.equal(m('dr/**/*.json', 'dr/x/y/z.json'), true);
  assert.equal(m('dr/**/*.json', 'dr/z.json'), true);
  assert.equal(m('dr/**/*.json', 'other/z.json'), false);
  assert.equal(m('backup-[0-9].yaml', 'backup-7.yaml'), true);
  assert.equal(m('backup-[!0-9].yaml', 'backup-7.yaml'), false);
  assert.equal(m('*.+(a|b)', 'x.abba'), true);
  assert.equal(m('!(*.json)', 'x.yaml'), true);
  assert.equal(m('!(*.json)', 'x.json'), false);
  assert.equal(m('a.b', 'axb'), false, 'dots are literal');
});

test('globs: an invalid pattern is reported (naming the setting) and matches nothing; the others still work', () => {
  const matcher = compileGlobs(['**/{a,b*.yaml', 'x[ab.yaml', '**/*.backup.yaml']);
  assert.equal(matcher.problems.length, 2);
  assert.match(matcher.problems[0]!, /"\*\*\/\{a,b\*\.yaml" is not a valid glob: "\{" is never closed/);
  assert.match(matcher.problems[1]!, /"x\[ab\.yaml" is not a valid glob: "\[" at 2 is never closed by "\]"/);
  assert.equal(matcher.matches('x[ab.yaml'), false, 'a stray [ builds no class and matches nothing');
  assert.equal(matchesBackupGlobs('/w/east.backup.yaml', matcher), true, 'the valid pattern still matches');
  assert.match(settingProblem('gitopsDr.backupFileGlobs', matcher)!, /^setting gitopsDr\.backupFileGlobs: .*The other patterns are used\.$/);
  assert.equal(settingProblem('gitopsDr.backupFileGlobs', compileGlobs(DEFAULT_BACKUP_GLOBS)), undefined);
  assert.equal(globProblem('a)b'), '")" at 2 closes nothing');
});

test('globs: a relative glob matches the workspace-relative path', () => {
  assert.equal(matchesBackupGlobs('/home/u/ws/dr/east.backup.yaml', ['dr/*.backup.yaml'], 'dr/east.backup.yaml'), true);
  assert.equal(matchesBackupGlobs('/home/u/ws/other/east.backup.yaml', ['dr/*.backup.yaml'], 'other/east.backup.yaml'), false);
});

test('Argo CD namespace patterns use the same matcher: globs, classes, /regex/, invalid ones match nothing', () => {
  assert.equal(isNamespaceEnabled('team-a', 'argocd', ['team-*']), true);
  assert.equal(isNamespaceEnabled('team-a', 'argocd', ['team-[ab]']), true);
  assert.equal(isNamespaceEnabled('team-c', 'argocd', ['team-[!ab]']), true);
  assert.equal(isNamespaceEnabled('team.a', 'argocd', ['team-a']), false);
  assert.equal(isNamespaceEnabled('team-a', 'argocd', ['/^team-/']), true);
  assert.equal(isNamespaceEnabled('team-a', 'argocd', ['team-[a']), false);
  assert.equal(isNamespaceEnabled('argocd', 'argocd', []), true);
});
