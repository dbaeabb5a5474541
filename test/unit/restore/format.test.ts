import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatArgoLine, formatChange, formatPlanMarkdown, formatPlanText, formatResultText } from '../../../src/core/restore/format';
import { buildPlan } from '../../../src/core/restore/plan';
import { NS, app, cm, withNamespace } from './fixtures';

const cmRef = { group: '', kind: 'ConfigMap', name: 'argocd-cm', namespace: 'argocd' };
const appRef = { group: 'argoproj.io', kind: 'Application', name: 'guestbook', namespace: 'argocd' };

test('lines use argocd admin import wording: core kinds start with /Kind', () => {
  assert.equal(formatArgoLine(cmRef, 'created', false), '/ConfigMap argocd-cm in namespace argocd created');
  assert.equal(formatArgoLine(appRef, 'updated', false), 'argoproj.io/Application guestbook in namespace argocd updated');
  assert.equal(formatArgoLine(appRef, 'unchanged', false), 'argoproj.io/Application guestbook in namespace argocd unchanged');
  assert.equal(formatArgoLine(appRef, 'pruned', false), 'argoproj.io/Application guestbook in namespace argocd pruned');
  assert.equal(formatArgoLine(appRef, 'needsPruning', false), 'argoproj.io/Application guestbook in namespace argocd needs pruning');
});

test('a dry run appends " (dry run)" like Argo CD; reasons follow a colon', () => {
  assert.equal(formatArgoLine(cmRef, 'created', true), '/ConfigMap argocd-cm in namespace argocd created (dry run)');
  assert.equal(formatArgoLine(appRef, 'pruned', true), 'argoproj.io/Application guestbook in namespace argocd pruned (dry run)');
  assert.equal(formatArgoLine(appRef, 'needsPruning', true), 'argoproj.io/Application guestbook in namespace argocd needs pruning');
  assert.equal(formatArgoLine(appRef, 'failed', false, 'forbidden (403)'), 'argoproj.io/Application guestbook in namespace argocd failed: forbidden (403)');
});

test('changes print as +, - and ~ lines', () => {
  assert.equal(formatChange({ path: 'a', after: 1 }), '+ a: 1');
  assert.equal(formatChange({ path: 'a', before: 'x' }), '- a: "x"');
  assert.equal(formatChange({ path: 'spec.x', before: 'main', after: 'v2' }), '~ spec.x: "main" -> "v2"');
});


const target = { context: 'west', server: 'https://west:6443', namespace: NS };
const opts = { namespace: NS, applicationNamespaces: [], applicationSetNamespaces: [], stopOperation: true, ignoreTracking: false, overrideOnConflict: false, keepTargetFence: true };

test('the plan text groups entries by action with counts and shows update fields', () => {
  const live = new Map([['/ConfigMap/argocd/argocd-cm', withNamespace(cm('argocd-cm', { url: 'old' }), NS)]]);
  const plan = buildPlan(
    [{ index: 0, object: withNamespace(cm('argocd-cm', { url: 'new' }), NS) }, { index: 1, object: withNamespace(app('g'), NS) }],
    { byKey: live, argoSet: [...live.values(), withNamespace(app('old'), NS)], unreadable: () => undefined },
    opts,
    target,
  );
  plan.sourceLabel = 'east.yaml';
  const text = formatPlanText(plan);
  assert.match(text, /^Restore plan: east\.yaml -> context west \(https:\/\/west:6443\), namespace argocd\n  0 errors, 1 to create, 1 to update, 1 to prune, 0 skipped, 0 unchanged\n/);
  assert.match(text, /\nCreate \(1\)\n  argoproj\.io\/Application g in namespace argocd\n/);
  assert.match(text, /\nUpdate \(1\)\n  \/ConfigMap argocd-cm in namespace argocd\n      ~ data\.url: "old" -> "new"\n/);
  assert.match(text, /\nPrune candidates \(1\)\n  argoproj\.io\/Application old in namespace argocd — not in the backup\n/);
  const md = formatPlanMarkdown(plan, { diffLink: (i) => `command:x?${i}` });
  assert.match(md, /- `\/ConfigMap argocd-cm in namespace argocd` \(\[diff\]\(command:x\?0\)\)/);
});

test('the result text is one Argo CD line per object and a summary', () => {
  const text = formatResultText({
    target,
    dryRun: true,
    pruneRequested: true,
    pruneWithheld: 'the plan has errors',
    results: [{ ref: { group: '', kind: 'ConfigMap', name: 'argocd-cm', namespace: NS }, action: 'create', outcome: 'created', line: '/ConfigMap argocd-cm in namespace argocd created (dry run)' }],
    counts: { created: 1, updated: 0, unchanged: 0, pruned: 0, needsPruning: 0, skipped: 0, failed: 0 },
    startedAt: '',
    durationMs: 12,
  });
  assert.equal(text, '/ConfigMap argocd-cm in namespace argocd created (dry run)\nRestore dry run into context west, namespace argocd: 1 created, 0 updated, 0 unchanged, 0 pruned, 0 need pruning, 0 skipped, 0 failed (12 ms)\nNothing pruned: the plan has errors\n');
});
