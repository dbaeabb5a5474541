// Restore against real kube-apiservers (scenario demo): east's backup restored into a fresh namespace on west,
// byte-for-byte afterwards; a second restore changes nothing; the limited identity; refusals that write nothing;
// prune removes exactly the listed objects; compare shows no drift after a restore.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeClient } from '../../../src/core/kube/client';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, SECRET } from '../../../src/core/objects/resources';
import { applyRestore, planRestore } from '../../../src/core/restore';
import { compareWithLive } from '../../../src/core/compare/compare';
import { readBackup } from '../../../src/core/yaml/readBackup';
import { runCli } from '../../../src/cli/main';
import { scenario, type ScenarioClusters } from '../support/clusters';
import { captureIO } from '../support/cliIO';
import { argoObjects, backupText, clientFor, createNamespace, documentTexts, freshName, removeNamespace, withoutTopLevelKey } from './support';

let s: ScenarioClusters;
let east: KubeClient;
let west: KubeClient;
let eastBackup: string;
let backupFile: string;
const created: string[] = [];

before(async () => {
  s = await scenario('demo');
  east = await clientFor(s, 'east');
  west = await clientFor(s, 'west');
  eastBackup = (await backupText(east, 'argocd')).text;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-it-'));
  backupFile = path.join(dir, 'east.backup.yaml');
  fs.writeFileSync(backupFile, eastBackup, { mode: 0o600 });
});

after(async () => {
  for (const ns of created) await removeNamespace(west, ns);
  east?.close();
  west?.close();
});

async function freshWestNamespace(): Promise<string> {
  const ns = freshName('restore-test');
  await createNamespace(west, ns);
  created.push(ns);
  return ns;
}

const cli = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
  const io = captureIO();
  const code = await runCli([...args, '--kubeconfig', s.kubeconfig, '--kubeconfig', s.limitedKubeconfig], io);
  return { code, out: io.out(), err: io.err() };
};

/** The documents of a backup that a restore into a namespace without enabled app namespaces writes. */
function restorable(text: string): string[] {
  return documentTexts(text).filter((d) => {
    const o = readBackup(d).documents[0]?.object;
    return !((o?.kind === 'Application' || o?.kind === 'ApplicationSet') && o.metadata?.namespace);
  });
}

test('east -> fresh namespace on west with the CLI; a backup of it equals east\'s byte for byte (minus .operation)', async () => {
  const ns = await freshWestNamespace();
  const plan = await cli(['restore', backupFile, '--context', 'west', '-n', ns]);
  assert.equal(plan.code, 0, plan.err + plan.out);
  assert.match(plan.out, /Nothing was written/);
  assert.deepEqual(await argoObjects(west, ns), [], 'the plan wrote nothing');

  const applied = await cli(['restore', backupFile, '--context', 'west', '-n', ns, '--apply']);
  assert.equal(applied.code, 0, applied.err + applied.out);
  assert.match(applied.out, new RegExp(`^/ConfigMap argocd-cm in namespace ${ns} created$`, 'm'));
  assert.match(applied.out, /argoproj\.io\/Application .* in namespace team-alpha skipped: namespace team-alpha is not enabled/);

  const westBackup = (await backupText(west, ns)).text;
  const expected = restorable(eastBackup).map((d) => (/^kind: Application\n/m.test(d) ? withoutTopLevelKey(d, 'operation') : d));
  const actual = documentTexts(westBackup);
  assert.equal(actual.length, expected.length, 'same number of objects');
  console.log(`byte-for-byte: ${expected.length} documents (${westBackup.length} bytes) equal; ${documentTexts(eastBackup).length - expected.length} Applications of team-* namespaces skipped`);
  for (let i = 0; i < expected.length; i++) assert.equal(actual[i], expected[i], `document ${i + 1} differs`);
  assert.ok(documentTexts(eastBackup).some((d) => /^operation:/m.test(d)), 'east has an operation in flight (the scenario says so)');
  assert.ok(!/^operation:/m.test(westBackup), 'stop operation cleared it');

  // A second restore changes nothing.
  const again = await planRestore(west, readBackup(eastBackup), { namespace: ns });
  const changing = again.entries.filter((e) => e.action !== 'unchanged' && e.action !== 'skip');
  assert.deepEqual(changing.map((e) => `${e.action} ${e.ref.kind}/${e.ref.name}: ${JSON.stringify(e.diff)}`), []);
  assert.equal(again.counts.unchanged, expected.length);
  const rerun = await applyRestore(west, again);
  assert.equal(rerun.counts.unchanged, expected.length);
  assert.equal(rerun.counts.failed, 0);

  // Compare (the drift view): the backup against this namespace shows no drift; so does this namespace, read live
  // as a primary, against a second namespace restored from it (east itself may change under other tests).
  const fromFile = await compareWithLive({ kind: 'backup', input: readBackup(eastBackup), label: 'east' }, west, { namespace: ns });
  assert.equal(fromFile.counts.create + fromFile.counts.update + fromFile.counts.prune + fromFile.counts.error, 0);
  const second = await freshWestNamespace();
  const copy = await compareWithLive({ kind: 'live', client: west, namespace: ns }, west, { namespace: second });
  assert.equal(copy.counts.create, expected.length);
  assert.equal((await applyRestore(west, copy)).counts.failed, 0);
  const drift = await compareWithLive({ kind: 'live', client: west, namespace: ns }, west, { namespace: second });
  assert.equal(drift.counts.create + drift.counts.update + drift.counts.prune + drift.counts.error, 0, JSON.stringify(drift.entries.filter((e) => e.action !== 'unchanged').map((e) => [e.action, e.ref.name, e.diff])));
});

test('the limited identity (no Secrets) gets per-object forbidden results and nothing else breaks', async () => {
  const ns = await freshWestNamespace();
  const limited = await clientFor(s, 'west-limited');
  try {
    const plan = await planRestore(limited, readBackup(eastBackup), { namespace: ns });
    const secrets = plan.entries.filter((e) => e.ref.kind === 'Secret');
    assert.ok(secrets.length > 0);
    assert.ok(secrets.every((e) => e.action === 'error' && /forbidden/.test(e.reason!)), JSON.stringify(secrets.map((e) => e.reason)));
    const result = await applyRestore(limited, plan, { prune: true });
    const attempted = result.results.filter((r) => r.action !== 'skip');
    assert.ok(attempted.length > 0);
    for (const r of attempted) {
      assert.equal(r.outcome, 'failed', r.line);
      assert.match(r.error!, /forbidden/, r.line);
    }
    assert.equal(result.pruneWithheld, undefined, 'no prune candidates in an empty namespace');
    assert.deepEqual(await argoObjects(west, ns), [], 'nothing was written');
  } finally {
    limited.close();
  }
});

test('refusals write nothing: invalid document, empty input, a non-Argo kind, an alias bomb, a 50 MB scalar, 10,000 levels', async () => {
  const ns = await freshWestNamespace();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-bad-'));
  const cases: Array<[string, string, RegExp]> = [
    ['invalid', `${documentTexts(eastBackup)[0]}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n`, /YAML syntax error|not a Kubernetes object/],
    ['empty', '', /empty/],
    ['kind', `${documentTexts(eastBackup)[0]}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gitops-agent\n`, /Deployment \(apps\/v1\) is not a kind a restore handles/],
    ['bomb', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`, /alias/i],
    ['scalar', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  big: ${'x'.repeat(50 * 1024 * 1024)}\n`, /large|MiB/i],
    ['deep', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, /deep/i],
  ];
  for (const [name, text, pattern] of cases) {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, text);
    const r = await cli(['restore', file, '--context', 'west', '-n', ns, '--apply', '--prune']);
    assert.equal(r.code, 1, `${name}: ${r.err}`);
    assert.match(r.err, pattern, name);
    assert.match(r.err, /nothing was written/, name);
  }
  assert.deepEqual(await argoObjects(west, ns), []);
});

test('prune removes exactly the listed objects, in a fixed order; finalizers are kept unless allowed', async () => {
  const ns = await freshWestNamespace();
  const restored = await applyRestore(west, await planRestore(west, readBackup(eastBackup), { namespace: ns }));
  assert.equal(restored.counts.failed, 0);
  const before = await argoObjects(west, ns);
  // Objects the backup does not hold.
  await west.create(SECRET, ns, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'stray-repo', labels: { 'argocd.argoproj.io/secret-type': 'repository' } }, stringData: { url: 'https://example.com/stray' } });
  await west.create(SECRET, ns, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'not-argo' }, stringData: { x: 'y' } });
  await west.create(APP_PROJECT, ns, { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'stray-project' }, spec: { sourceRepos: ['*'] } });
  const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', spec: { project: 'default', source: { repoURL: 'https://example.com/r', path: '.' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'x' } } };
  await west.create(APPLICATION, ns, { ...app, metadata: { name: 'stray-app' } });
  await west.create(APPLICATION, ns, { ...app, metadata: { name: 'stray-app-finalizer', finalizers: ['resources-finalizer.argocd.argoproj.io'] } });
  await west.create(APPLICATION_SET, ns, { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'stray-set' }, spec: { generators: [], template: { metadata: {}, spec: app.spec } } });

  const plan = await planRestore(west, readBackup(eastBackup), { namespace: ns });
  const candidates = plan.entries.filter((e) => e.action === 'prune').map((e) => `${e.ref.kind}/${e.ref.name}`);
  assert.deepEqual(candidates, ['ApplicationSet/stray-set', 'Application/stray-app', 'Application/stray-app-finalizer', 'AppProject/stray-project', 'Secret/stray-repo']);
  const result = await applyRestore(west, plan, { prune: true });
  assert.equal(result.counts.pruned, 5);
  assert.equal(result.counts.failed, 0);
  const after = await argoObjects(west, ns);
  // The ApplicationSet is deleted with orphan propagation: the API server gives it the `orphan` finalizer for the
  // garbage collector (which does not run here), so it stays until that finalizer is handled.
  assert.deepEqual(after, [...before, 'Application/stray-app-finalizer', 'ApplicationSet/stray-set', 'Secret/not-argo'].sort());
  assert.deepEqual((await west.get(APPLICATION_SET, ns, 'stray-set'))?.metadata?.finalizers, ['orphan']);
  const kept = await west.get(APPLICATION, ns, 'stray-app-finalizer');
  assert.ok(kept?.metadata?.deletionTimestamp, 'deleted, waiting on its finalizer');
  assert.deepEqual(kept?.metadata?.finalizers, ['resources-finalizer.argocd.argoproj.io']);
  assert.match(result.results.find((r) => r.ref.name === 'stray-app-finalizer')!.note!, /finalizers kept/);
});
