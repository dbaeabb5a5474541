import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { gateBackup } from '../../../src/core/restore/gate';
import { lintBackup } from '../../../src/core/lint/lintBackup';
import { formatProblem } from '../../../src/core/restore/input';
import { app, cm, demoBackup, parsedOf, yamlOf } from './fixtures';

test('gate: a good backup passes with every object', () => {
  const { objects, problems } = gateBackup(parsedOf(demoBackup()), { namespace: 'argocd' });
  assert.deepEqual(problems, []);
  assert.equal(objects.length, demoBackup().length);
});

test('gate: an empty input is refused: it never means "prune everything"', () => {
  for (const parsed of [parsedOf([]), parsedOf([null, undefined])]) {
    const { problems } = gateBackup(parsed);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /empty/);
  }
});

test('gate: a kind a restore does not write is refused by the lint rule, with where it is', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gitops-ui' } };
  const { problems, objects } = gateBackup(parsedOf([cm('argocd-cm'), deployment]));
  assert.deepEqual(problems.map((p) => p.code), ['DRL005']);
  assert.match(formatProblem(problems[0]!, 'b.yaml'), /^b\.yaml:4:\d+: Deployment \(apps\/v1\) is not a kind a restore handles.*\[DRL005\]$/);
  assert.deepEqual(objects, [], 'nothing is planned from a refused backup');
  // Same kind name, other group: not Argo CD's.
  const foreign = { apiVersion: 'example.com/v1', kind: 'Application', metadata: { name: 'x' } };
  assert.deepEqual(gateBackup(parsedOf([foreign])).problems.map((p) => p.code), ['DRL005']);
});

test('gate: reader errors refuse the input with their position; warnings do not', () => {
  const { problems } = gateBackup('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n');
  assert.ok(problems.length > 0);
  assert.ok(problems.some((p) => p.code === 'BK001'));
  assert.ok(problems.every((p) => p.range));
  const warnOnly = gateBackup('[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"argocd-cm"}}]');
  assert.deepEqual(warnOnly.problems, [], 'BK010 (a JSON array) is a warning');
  assert.ok(warnOnly.findings.some((f) => f.code === 'BK010'));
});

test('gate: documents without kind, apiVersion or name, scalars, lists and duplicates are refused, each once', () => {
  const { problems, objects } = gateBackup(
    parsedOf([{ apiVersion: 'v1', metadata: { name: 'x' } }, { kind: 'ConfigMap', metadata: { name: 'x' } }, cm(''), 'just text', [1, 2], app('a'), app('a')]),
    { namespace: 'argocd' },
  );
  assert.equal(objects.length, 0);
  assert.deepEqual(problems.map((p) => `${p.range!.start.line}:${p.code}`), ['1:BK004', '3:BK004', '5:BK004', '7:BK003', '9:BK003', '13:DRL007']);
});

test('gate: a duplicate is the same object whether or not its namespace is written out', () => {
  const withNs = { ...app('a'), metadata: { name: 'a', namespace: 'argocd' } };
  assert.deepEqual(gateBackup(parsedOf([app('a'), withNs]), { namespace: 'argocd' }).problems.map((p) => p.code), ['DRL007']);
});

test('gate: a suppression comment hides a finding in the editor but never lets the file through', () => {
  const text = `# gitops-dr-disable DRL007\n${yamlOf([app('a'), app('a')])}`;
  assert.deepEqual(gateBackup(text, { namespace: 'argocd' }).problems.map((p) => p.code), ['DRL007']);
});

test('gate: nesting deeper than the limit is refused without recursion', () => {
  let deep: Record<string, unknown> = {};
  const root = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' }, data: deep };
  for (let i = 0; i < 300; i++) {
    const next: Record<string, unknown> = {};
    deep.x = next;
    deep = next;
  }
  const { problems } = gateBackup(parsedOf([root]));
  assert.ok(problems.length >= 1);
  assert.match(problems[0]!.message, /deep|nest/);
});

test('gate: bytes that are not UTF-8 are refused with the position of the first bad byte (BK011)', () => {
  const good = Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  motd: "caf', 'utf8');
  const bytes = Buffer.concat([good, Buffer.from([0xe9]), Buffer.from('"\n', 'utf8')]); // Latin-1 é
  const { problems, objects } = gateBackup(bytes, { namespace: 'argocd' });
  assert.deepEqual(problems.map((p) => p.code), ['BK011']);
  assert.equal(formatProblem(problems[0]!).split(':').slice(0, 2).join(':'), '6:13');
  assert.match(problems[0]!.message, new RegExp(`byte ${good.length} is not valid UTF-8`));
  assert.deepEqual(objects, []);
  // The same text as valid UTF-8 passes: the refusal is about the bytes.
  assert.deepEqual(gateBackup(Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  motd: "café"\n', 'utf8')).problems, []);
});

test('gate: plain scalars Argo CD\'s Go reader (YAML 1.1) reads otherwise are refused with their position (BK012); quoted they pass', () => {
  const text = (prune: string, mode: string): string => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://example.com/r.git\n    helm:\n      valuesObject:\n        mode: ${mode}\n  syncPolicy:\n    automated:\n      prune: ${prune}\n`;
  const { problems, objects } = gateBackup(text('yes', '0755'), { namespace: 'argocd' });
  assert.deepEqual(problems.map((p) => `${p.code}@${formatProblem(p).split(':').slice(0, 2).join(':')}`), ['BK012@12:15', 'BK012@15:14']);
  assert.match(problems[0]!.message, /reads 0755 as the octal number 493, this tool as 755/);
  assert.match(problems[1]!.message, /reads yes as the boolean true, this tool as the string "yes": quote it/);
  assert.deepEqual(objects, []);
  assert.deepEqual(gateBackup(text('"yes"', '"0755"'), { namespace: 'argocd' }).problems, []);
  assert.deepEqual(gateBackup(text('true', '493'), { namespace: 'argocd' }).problems, []);
});

test('gate: rule warnings and infos are not worked out (each costs a positioned parse of its document); their objects pass', () => {
  // An Application whose repository has no credentials in the backup, and one on an unknown project.
  const objects = [...demoBackup(), { ...app('private'), spec: { ...(app('private').spec as object), source: { repoURL: 'https://git.example.com/private/repo', path: '.' } } }, app('stray', { project: 'nowhere' })];
  const parsed = parsedOf(objects);
  const linted = lintBackup(parsed, { argoNamespace: 'argocd', suppressions: false }).map((f) => f.code);
  assert.ok(linted.includes('DRL012') && linted.includes('DRL010'), `the lint itself reports them: ${linted.join(', ')}`);
  const gated = gateBackup(parsed, { namespace: 'argocd' });
  assert.deepEqual(gated.problems, []);
  assert.deepEqual(gated.findings.filter((f) => f.severity !== 'error'), [], 'no rule warning or info in the gate');
  assert.equal(gated.objects.length, objects.length);
});
