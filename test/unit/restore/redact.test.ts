import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { displayObject } from '../../../src/core/restore/redact';
import { LAST_APPLIED_ANNOTATION } from '../../../src/core/argo/argoFacts';
import type { KubeObject } from '../../../src/core/objects/kubeObject';

function appliedSecret(password: string): KubeObject {
  const base = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'repo', namespace: 'argocd' }, data: { password } };
  return { ...base, metadata: { ...base.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(base), team: 'payments' } } };
}

test("a Secret's last-applied-configuration annotation (kubectl keeps the values in it) is hidden in the diff view", () => {
  const live = appliedSecret('b2xkLXNlY3JldA==');
  const restore = appliedSecret('bmV3LXNlY3JldA==');
  const alone = JSON.stringify(displayObject(restore));
  assert.ok(!alone.includes('bmV3LXNlY3JldA=='), alone);
  const left = JSON.stringify(displayObject(live, restore, 'live'));
  const right = JSON.stringify(displayObject(restore, live, 'restore'));
  for (const [text, value] of [[left, 'b2xkLXNlY3JldA=='], [right, 'bmV3LXNlY3JldA==']] as const) assert.ok(!text.includes(value), text);
  assert.equal(displayObject(restore, live, 'restore')!.metadata!.annotations![LAST_APPLIED_ANNOTATION], '<hidden, differs>');
  assert.equal(displayObject(restore, restore, 'restore')!.metadata!.annotations![LAST_APPLIED_ANNOTATION], '<hidden, same on both sides>');
  assert.equal(displayObject(restore)!.metadata!.annotations!.team, 'payments', 'other annotations stay readable');
  assert.ok(restore.metadata!.annotations![LAST_APPLIED_ANNOTATION]!.includes('bmV3LXNlY3JldA=='), 'the input is not changed');
});

test('a ConfigMap keeps its last-applied-configuration annotation in the view', () => {
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', annotations: { [LAST_APPLIED_ANNOTATION]: '{"data":{"url":"x"}}' } } };
  assert.equal(displayObject(cm)!.metadata!.annotations![LAST_APPLIED_ANNOTATION], '{"data":{"url":"x"}}');
});
