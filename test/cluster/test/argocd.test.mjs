// Proof tests of the Argo CD parts of the harness that need no build: the wrapper module's replace lines, version
// names, scenarios on another version, and the manifests from the Go module proxy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ARGOCD_MATRIX, DEFAULT_ARGOCD_VERSION, checkVersion, ensureManifests, modulePath, nonLocalReplaces } from '../lib/argocd.mjs';
import { loadScenario } from '../lib/scenarios.mjs';

test('the wrapper module repeats the non-local replaces of Argo CD go.mod, and no local one', () => {
  const goMod = [
    'module github.com/argoproj/argo-cd/v3', '', 'go 1.25.5', '',
    'replace (', '\t// a comment', '\tgithub.com/golang/protobuf => github.com/golang/protobuf v1.5.4',
    '\tk8s.io/api => k8s.io/api v0.34.0 // pinned', '\tgithub.com/argoproj/gitops-engine => ./gitops-engine', ')', '',
    'replace gopkg.in/yaml.v2 v2.2.1 => gopkg.in/yaml.v2 v2.4.0', 'replace example.com/x => ../x',
  ].join('\n');
  assert.deepEqual(nonLocalReplaces(goMod), [
    'github.com/golang/protobuf => github.com/golang/protobuf v1.5.4',
    'k8s.io/api => k8s.io/api v0.34.0',
    'gopkg.in/yaml.v2 v2.2.1 => gopkg.in/yaml.v2 v2.4.0',
  ]);
});

test('versions: the default is in the matrix; a bad version is refused with what is expected', () => {
  assert.ok(ARGOCD_MATRIX.includes(DEFAULT_ARGOCD_VERSION));
  assert.equal(modulePath('v2.14.9'), 'github.com/argoproj/argo-cd/v2');
  assert.equal(modulePath('v3.2.12'), 'github.com/argoproj/argo-cd/v3');
  for (const bad of ['2.14.9', 'v4.0.0', 'v3.2', 'latest', '../v3.2.1']) assert.throws(() => checkVersion(bad), /bad Argo CD version .*expected vMAJOR\.MINOR\.PATCH/);
});

test('a scenario runs on its own version, or on another one as NAME@VERSION (another hash, so another state)', () => {
  const demo = loadScenario('demo');
  assert.equal(demo.argocdVersion, DEFAULT_ARGOCD_VERSION);
  const other = loadScenario('demo@v3.2.12');
  assert.equal(other.argocdVersion, 'v3.2.12');
  assert.equal(other.name, 'demo@v3.2.12');
  assert.notEqual(other.hash, demo.hash);
  assert.throws(() => loadScenario('demo@v3.2.12@x'), /bad scenario name/);
  assert.throws(() => loadScenario('demo@3'), /bad Argo CD version/);
});

test('manifests of the default version come from the Go module proxy into the cache', async () => {
  const dir = await ensureManifests(DEFAULT_ARGOCD_VERSION);
  for (const f of ['crds/application-crd.yaml', 'crds/applicationset-crd.yaml', 'crds/appproject-crd.yaml', 'namespace-install.yaml', 'ha/namespace-install.yaml']) {
    assert.match(fs.readFileSync(path.join(dir, f), 'utf8'), /^(apiVersion|kind|# )/m, f);
  }
  assert.match(fs.readFileSync(path.join(dir, 'namespace-install.yaml'), 'utf8'), new RegExp(`quay.io/argoproj/argocd:${DEFAULT_ARGOCD_VERSION.replace(/\./g, '\\.')}`));
});
