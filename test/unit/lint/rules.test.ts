import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintBackupText } from '../../../src/core/lint/lintBackup';
import { normalizeRepoURL, redactURL } from '../../../src/core/lint/rules/referenceRules';
import { isBase64 } from '../../../src/core/lint/secretData';
import { ruleCatalogue } from '../../../src/core/lint/catalogue';
import { lintFixturesDir } from '../../fixtures/lint/expectations';

const dir = lintFixturesDir(__dirname);
const clean = fs.readFileSync(path.join(dir, 'clean.backup.yaml'), 'utf8');
const codes = (text: string, options = {}) => lintBackupText(text, options).findings.map((f) => f.code);

const app = (extra: string) => `---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: extra\n${extra}`;

test('rules: an object labelled app.kubernetes.io/part-of: harness-gitops is an agent object whatever its name', () => {
  const text = `${clean}apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  labels:\n    app.kubernetes.io/part-of: harness-gitops\n  name: argocd-harness-plugin\n`;
  assert.deepEqual(codes(text), ['DRL003']);
});

test('rules: a missing required object in another namespace still counts as missing', () => {
  const text = clean.replace('  name: argocd-cm\n', '  name: argocd-cm\n  namespace: elsewhere\n');
  assert.deepEqual(codes(text, { argoNamespace: 'argocd' }).sort(), ['DRL001', 'DRL008']);
});

test('rules: an explicit metadata.namespace equal to the Argo CD namespace is fine, and duplicates are found across both spellings', () => {
  const explicit = clean.replace('  name: argocd-cm\n', '  name: argocd-cm\n  namespace: argocd\n');
  assert.deepEqual(codes(explicit, { argoNamespace: 'argocd' }), []);
  const dup = `${explicit}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n`;
  assert.deepEqual(codes(dup, { argoNamespace: 'argocd' }), ['DRL007']);
});

test('rules: without enabled namespaces, Applications in other namespaces are not judged (nothing inferred)', () => {
  const text = `${clean}${app('  namespace: team-x\nspec:\n  project: default\n  destination: {name: in-cluster}\n').slice(4)}`;
  assert.deepEqual(codes(text), []);
  assert.deepEqual(codes(text, { argoNamespace: 'argocd', enabledNamespaces: ['team-*'] }), []);
  assert.deepEqual(codes(text, { argoNamespace: 'argocd', enabledNamespaces: ['/^apps-.*$/'] }), ['DRL009']);
  assert.deepEqual(codes(text, { argoNamespace: 'argocd', enabledNamespaces: [] }), ['DRL009']);
});

test('rules: repository matching follows Argo CD (case, .git suffix, repo-creds prefix, argocd-cm repositories)', () => {
  assert.equal(normalizeRepoURL('https://GitHub.com/Example/Apps.git/'), 'https://github.com/example/apps');
  assert.equal(normalizeRepoURL('git@github.com:example/apps.git'), 'git@github.com/example/apps');
  assert.equal(normalizeRepoURL('ssh://git@github.com/example/apps'), 'git@github.com/example/apps');
  const withUrl = (u: string) => clean.replace('    repoURL: https://github.com/example-org/infra\n', `    repoURL: ${u}\n`);
  assert.deepEqual(codes(withUrl('https://GITHUB.com/example/apps')), []);
  assert.deepEqual(codes(withUrl('https://github.com/example-org/anything/else.git')), []);
  assert.deepEqual(codes(withUrl('https://github.com/example-orgx/repo')), [], 'a prefix match, as Argo CD does it');
  assert.deepEqual(codes(withUrl('https://bitbucket.example/private.git')), ['DRL012']);
  const legacy = withUrl('https://bitbucket.example/private.git').replace('  url: https://argocd.example.com\n', '  repositories: |\n    - url: https://bitbucket.example/private\n  url: https://argocd.example.com\n');
  assert.deepEqual(codes(legacy), []);
});

test('rules: messages never show credentials embedded in a repository URL', () => {
  assert.equal(redactURL('https://user:tok3n@git.example/r.git'), 'https://***@git.example/r.git');
  const text = clean.replace('    repoURL: https://github.com/example-org/infra\n', '    repoURL: https://deploy:s3cr3tT0ken@gitlab.example/r.git\n');
  const f = lintBackupText(text).findings;
  assert.deepEqual(f.map((x) => x.code), ['DRL012']);
  assert.doesNotMatch(f[0]!.message, /s3cr3tT0ken/);
});

test('rules: no finding message ever contains Secret data (fixtures with secrets, bad and good)', () => {
  for (const file of fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const { parsed, findings } = lintBackupText(text);
    const values: string[] = [];
    for (const d of parsed.documents) {
      if (d.object?.kind !== 'Secret') continue;
      for (const v of Object.values((d.object.data ?? {}) as Record<string, unknown>)) if (typeof v === 'string' && v.length >= 4) values.push(v);
    }
    for (const f of findings) for (const v of values) assert.ok(!f.message.includes(v), `${file}: ${f.code} message shows a Secret value`);
  }
});

test('rules: Secret data validation is base64 as the API server decodes it', () => {
  assert.equal(isBase64('aGVsbG8='), true);
  assert.equal(isBase64('aGVs\nbG8='), true, 'line breaks are ignored');
  assert.equal(isBase64(''), true);
  assert.equal(isBase64('hello'), false, 'length not a multiple of 4');
  assert.equal(isBase64('aGVsbG8=x'), false);
  assert.equal(isBase64('a b='), false);
});

test('rules: stringData counts as data (no DRL015) and is not base64-checked', () => {
  const text = `${clean}apiVersion: v1\nkind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: repository\n  name: repo-plain\nstringData:\n  url: https://github.com/example/apps.git\n`;
  assert.deepEqual(codes(text), []);
});

test('rules: destination by in-cluster server or name needs no cluster Secret; a trailing slash still matches', () => {
  const text = clean.replace('    server: https://prod.example.com:6443\n  project: team-a', '    server: https://prod.example.com:6443/\n  project: team-a');
  assert.deepEqual(codes(text), []);
  const inCluster = clean.replace('    server: https://prod.example.com:6443\n  project: team-a', '    server: https://kubernetes.default.svc\n  project: team-a');
  assert.deepEqual(codes(inCluster), []);
});

test('rules: an Application with an empty or default project needs no AppProject', () => {
  const text = clean.replace('  project: team-a\n  source:', '  project: ""\n  source:');
  assert.deepEqual(codes(text), []);
});

test('rules: documents the reader rejects get no rule findings on top', () => {
  const text = `${clean}kind: Application\nmetadata:\n  name: x\nspec:\n  project: nowhere\n`;
  assert.deepEqual(codes(text), ['BK004']);
});

test('rules: an empty file has no rule findings; a file of only comments neither', () => {
  assert.deepEqual(codes(''), []);
  assert.deepEqual(codes('# nothing\n'), []);
});

test('docs: src/core/lint/README.md lists every rule code with its catalogue severity', () => {
  const readme = fs.readFileSync(path.resolve(dir, '..', '..', '..', 'src', 'core', 'lint', 'README.md'), 'utf8');
  for (const r of ruleCatalogue()) assert.match(readme, new RegExp(`^\\| \`${r.code}\` \\| ${r.severity} \\| ${r.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|`, 'm'), r.code);
  // The README's suppression example works as documented.
  const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
  const text = `${clean}${example}`;
  assert.deepEqual(codes(text), []);
  assert.deepEqual(codes(text, { suppressions: false }), ['DRL010']);
});
