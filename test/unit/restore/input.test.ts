import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkBackupInput, formatProblem } from '../../../src/core/restore/input';
import { app, cm, demoBackup, parsedOf } from './fixtures';

test('a good backup passes with every object', () => {
  const { objects, problems } = checkBackupInput(parsedOf(demoBackup()));
  assert.deepEqual(problems, []);
  assert.equal(objects.length, demoBackup().length);
});

test('an empty input is refused: it never means "prune everything"', () => {
  for (const parsed of [parsedOf([]), parsedOf([null, undefined])]) {
    const { problems } = checkBackupInput(parsed);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /empty/);
  }
});

test('a kind a restore does not write is refused with where it is', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gitops-agent' } };
  const { problems } = checkBackupInput(parsedOf([cm('argocd-cm'), deployment]));
  assert.equal(problems.length, 1);
  assert.equal(formatProblem(problems[0]!, 'b.yaml'), 'b.yaml:11:1: Deployment (apps/v1) is not something a restore writes; a backup holds ConfigMap, Secret, AppProject, Application, ApplicationSet');
  // Same kind name, other group: not Argo CD's.
  const foreign = { apiVersion: 'example.com/v1', kind: 'Application', metadata: { name: 'x' } };
  assert.equal(checkBackupInput(parsedOf([foreign])).problems.length, 1);
});

test('reader errors refuse the input and keep their position; warnings do not', () => {
  const range = { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } };
  const { problems } = checkBackupInput(parsedOf([cm('argocd-cm')], [
    { code: 'yaml.syntax', severity: 'error', message: 'bad indentation', range },
    { code: 'yaml.style', severity: 'warning', message: 'odd quoting', range },
  ]));
  assert.deepEqual(problems.map((p) => formatProblem(p)), ['5:3: bad indentation']);
});

test('documents without kind, apiVersion or name, scalars, lists and duplicates are refused', () => {
  const { problems, objects } = checkBackupInput(
    parsedOf([{ apiVersion: 'v1', metadata: { name: 'x' } }, { kind: 'ConfigMap', metadata: { name: 'x' } }, cm(''), 'just text', [1, 2], app('a'), app('a')]),
  );
  assert.equal(objects.length, 1);
  assert.deepEqual(problems.map((p) => p.message), [
    'document 1 has no kind',
    'document 2 has no apiVersion',
    'ConfigMap in document 3 has no metadata.name',
    'document 4 is not an object (a string)',
    'document 5 is not an object (a list)',
    'Application a appears twice (documents 6 and 7)',
  ]);
});

test('nesting deeper than the limit is refused without recursion', () => {
  let deep: Record<string, unknown> = {};
  const root = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' }, data: deep };
  for (let i = 0; i < 10_000; i++) {
    const next: Record<string, unknown> = {};
    deep.x = next;
    deep = next;
  }
  const { problems } = checkBackupInput(parsedOf([root]));
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /nests deeper than 200 levels/);
});
