import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MASK, maskSecretValues } from '../../../src/core/backup/maskSecrets';

const BACKUP = [
  'apiVersion: v1',
  'data:',
  '  url: aHR0cHM6Ly9naXQ=',
  'kind: ConfigMap',
  'metadata:',
  '  name: argocd-cm',
  '---',
  'apiVersion: v1',
  'data:',
  '  password: c2VjcmV0LXZhbHVl',
  '  "odd:key": dmFsdWU=',
  'kind: Secret',
  'metadata:',
  '  labels:',
  '    argocd.argoproj.io/secret-type: repository',
  '  name: repo-1',
  'stringData:',
  '  token: |',
  '    line-one-secret',
  '    line-two-secret',
  '  user: admin-secret',
  'type: Opaque',
  '---',
  'apiVersion: v1',
  'data: {password: inline-secret}',
  'kind: Secret',
  'metadata:',
  '  name: flow',
  '---',
  '',
].join('\n');

test('every Secret value is masked, keys and the other objects are kept as written', () => {
  const masked = maskSecretValues(BACKUP);
  for (const secret of ['c2VjcmV0LXZhbHVl', 'dmFsdWU=', 'line-one-secret', 'line-two-secret', 'admin-secret', 'inline-secret']) assert.ok(!masked.includes(secret), secret);
  assert.ok(masked.includes(`  password: ${MASK}\n`));
  assert.ok(masked.includes(`  "odd:key": ${MASK}\n`));
  assert.ok(masked.includes(`  token: ${MASK}\n  user: ${MASK}\ntype: Opaque\n`));
  assert.ok(masked.includes(`data: ${MASK}\nkind: Secret\n`));
  assert.ok(masked.includes('  url: aHR0cHM6Ly9naXQ=\n'), 'a ConfigMap value is not a secret');
  assert.ok(masked.includes('    argocd.argoproj.io/secret-type: repository\n  name: repo-1\n'), 'metadata is kept');
  assert.strictEqual(masked.split('---').length, BACKUP.split('---').length, 'one document per object still');
});

test('a backup without Secrets is returned unchanged', () => {
  const text = BACKUP.split('---')[0]!;
  assert.strictEqual(maskSecretValues(text), text);
});

test("a Secret's kubectl last-applied-configuration annotation (it holds the values) is masked, block or one-line", () => {
  const applied = '{"apiVersion":"v1","data":{"password":"c3VwZXItc2VjcmV0"},"kind":"Secret"}';
  const text = [
    'apiVersion: v1',
    'data:',
    '  password: c3VwZXItc2VjcmV0',
    'kind: Secret',
    'metadata:',
    '  annotations:',
    '    kubectl.kubernetes.io/last-applied-configuration: |',
    `      ${applied}`,
    '    team: payments',
    '  name: block-style',
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  annotations:',
    `    kubectl.kubernetes.io/last-applied-configuration: '${applied}'`,
    '  name: one-line',
    '---',
    'apiVersion: v1',
    'data:',
    '  note: kept',
    'kind: ConfigMap',
    'metadata:',
    '  annotations:',
    `    kubectl.kubernetes.io/last-applied-configuration: '${applied}'`,
    '  name: not-a-secret',
    '',
  ].join('\n');
  const masked = maskSecretValues(text);
  const [block, oneLine, configMap] = masked.split('---');
  for (const doc of [block!, oneLine!]) {
    assert.ok(!doc.includes('c3VwZXItc2VjcmV0'), doc);
    assert.ok(doc.includes(`    kubectl.kubernetes.io/last-applied-configuration: ${MASK}\n`), doc);
  }
  assert.ok(block!.includes(`: ${MASK}\n    team: payments\n  name: block-style\n`), 'the annotations after it are kept');
  assert.ok(configMap!.includes(applied), 'a ConfigMap is not masked');
});
