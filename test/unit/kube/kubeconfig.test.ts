import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFiles, loadKubeconfig } from '../../../src/core/kube/kubeconfig';

const dir = mkdtempSync(join(tmpdir(), 'gitops-dr-kc-unit-'));

function kubeconfig(name: string, body: { clusters: Array<[string, string]>; contexts: Array<[string, string, string]>; current?: string; caFile?: string }): string {
  const file = join(dir, name);
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const [n, server] of body.clusters) lines.push(`- name: ${n}`, '  cluster:', `    server: ${server}`, ...(body.caFile ? [`    certificate-authority: ${body.caFile}`] : []));
  lines.push('users:', '- name: admin', '  user:', '    token: not-a-real-token', 'contexts:');
  for (const [n, cluster, user] of body.contexts) lines.push(`- name: ${n}`, '  context:', `    cluster: ${cluster}`, `    user: ${user}`);
  if (body.current) lines.push(`current-context: ${body.current}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('files merge like kubectl: the first file to name a context or cluster wins, current-context from the first that sets it', async () => {
  const a = kubeconfig('a.yaml', { clusters: [['c1', 'https://a.example:6443']], contexts: [['east', 'c1', 'admin']], current: 'east' });
  const b = kubeconfig('b.yaml', { clusters: [['c1', 'https://b.example:6443'], ['c2', 'https://c2.example:6443']], contexts: [['east', 'c2', 'admin'], ['west', 'c2', 'admin']], current: 'west' });
  const merged = await loadKubeconfig([a, b]);
  assert.deepEqual(merged.contexts.map((c) => [c.name, c.cluster, c.server, c.file]), [
    ['east', 'c1', 'https://a.example:6443', a],
    ['west', 'c2', 'https://c2.example:6443', b],
  ]);
  assert.equal(merged.currentContext, 'east');
  assert.deepEqual(merged.contexts.map((c) => c.isCurrent), [true, false]);
  assert.equal(merged.configFor('west').getCurrentCluster()?.server, 'https://c2.example:6443');
});

test('configFor builds a config for one context without changing the merged current context', async () => {
  const a = kubeconfig('c.yaml', { clusters: [['c1', 'https://a.example:6443']], contexts: [['east', 'c1', 'admin'], ['other', 'c1', 'admin']], current: 'east' });
  const merged = await loadKubeconfig([a]);
  const kc = merged.configFor('other');
  assert.equal(kc.getCurrentContext(), 'other');
  assert.equal(merged.currentContext, 'east');
  assert.throws(() => merged.configFor('nope'), /context "nope" is not in the kubeconfig/);
});

test('relative certificate paths resolve against the kubeconfig file that holds them', async () => {
  const a = kubeconfig('rel.yaml', { clusters: [['c1', 'https://a.example:6443']], contexts: [['east', 'c1', 'admin']], caFile: 'certs/ca.crt' });
  const merged = await loadKubeconfig([a]);
  assert.equal(merged.configFor('east').getCurrentCluster()?.caFile, join(dir, 'certs/ca.crt'));
});

test('an unreadable file is reported with its path; the other files still load', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'clusters: [unclosed\n');
  const good = kubeconfig('good.yaml', { clusters: [['c1', 'https://a.example:6443']], contexts: [['east', 'c1', 'admin']] });
  const merged = await loadKubeconfig([bad, good]);
  assert.deepEqual(merged.contexts.map((c) => c.name), ['east']);
  assert.equal(merged.problems.length, 1);
  assert.equal(merged.problems[0]!.file, bad);
  assert.match(merged.problems[0]!.message, /cannot read kubeconfig .*bad\.yaml/);
});

test('missing files in a KUBECONFIG list are skipped silently when another loads, reported when none does', async () => {
  const good = kubeconfig('good2.yaml', { clusters: [['c1', 'https://a.example:6443']], contexts: [['east', 'c1', 'admin']] });
  assert.deepEqual((await loadKubeconfig([join(dir, 'missing'), good])).problems, []);
  const none = await loadKubeconfig([join(dir, 'missing')]);
  assert.equal(none.contexts.length, 0);
  assert.match(none.problems[0]!.message, /kubeconfig not found/);
});

test('kubeconfigFiles: explicit paths, else the KUBECONFIG list in order without duplicates, else ~/.kube/config', () => {
  assert.deepEqual(kubeconfigFiles(['/x/a'], { KUBECONFIG: '/y/b' }), ['/x/a']);
  assert.deepEqual(kubeconfigFiles([], { KUBECONFIG: '/y/b::/y/c:/y/b' }), ['/y/b', '/y/c']);
  assert.deepEqual(kubeconfigFiles([], { HOME: '/home/me' }), ['/home/me/.kube/config']);
  assert.deepEqual(kubeconfigFiles(['~/k'], { HOME: '/home/me' }), ['/home/me/k']);
});
