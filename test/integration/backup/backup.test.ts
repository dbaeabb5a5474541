// Backups against real kube-apiservers (scenario demo): what a backup of the east agent holds, byte-level round
// trips of odd strings, the limited identity, an unreachable context, the CLI's file handling, and exec mode's
// pod resolution (pods never run in the test clusters: no kubelet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import { KubeError } from '../../../src/core/kube/errors';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, SECRET } from '../../../src/core/objects/resources';
import { isArgoSecret } from '../../../src/core/argo/argoFacts';
import { exportBackup, exportBackupViaExec, sanitiseForBackup, saveBackupFile, type BackupResult } from '../../../src/core/backup';
import { runCli } from '../../../src/cli/main';
import { mergedKubeconfigFiles, scenario } from '../support/clusters';
import { captureIO } from '../support/cliIO';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: unknown;
}

async function clientFor(context: string, limited = false, timeoutMs = 10_000): Promise<KubeClient> {
  const s = await scenario('demo');
  const kc = await loadKubeconfig(limited ? mergedKubeconfigFiles(s) : [s.kubeconfig]);
  return KubeClient.forContext(kc, context, { timeoutMs });
}

async function backupOf(context: string, options: { pageSize?: number } = {}): Promise<{ text: string; docs: Doc[]; result: BackupResult }> {
  const client = await clientFor(context);
  try {
    let text = '';
    const result = await exportBackup(client, { namespace: 'argocd', ...options }, (c) => {
      text += c;
    });
    const docs = parseAllDocuments(text, { version: '1.1' })
      .map((d) => d.toJS() as Doc | null)
      .filter((d): d is Doc => d !== null);
    return { text, docs, result };
  } finally {
    client.close();
  }
}

function keyOf(o: { kind?: string; metadata?: { name?: string; namespace?: string } }, ns = 'argocd'): string {
  return `${o.kind}/${o.metadata?.namespace ?? ns}/${o.metadata?.name}`;
}

test('demo east: the backup holds exactly the Argo CD entities, in argocd admin export order, and no agent object', async () => {
  const { docs, result, text } = await backupOf('east');
  const client = await clientFor('east');
  try {
    // What the cluster holds, read independently (plain lists, no paging).
    const secrets = (await client.listAll(SECRET, 'argocd')).map((s) => ({ ...s, kind: 'Secret' })).filter(isArgoSecret);
    const projects = await client.listAll(APP_PROJECT, 'argocd');
    const apps = (await client.listAll(APPLICATION, undefined)).filter((a) => a.metadata?.namespace === 'argocd' || a.metadata?.namespace?.startsWith('team-'));
    const appSets = (await client.listAll(APPLICATION_SET, undefined)).filter((a) => a.metadata?.namespace === 'argocd' || a.metadata?.namespace?.startsWith('team-'));
    const expected = [
      'ConfigMap/argocd/argocd-cm',
      'ConfigMap/argocd/argocd-rbac-cm',
      'ConfigMap/argocd/argocd-ssh-known-hosts-cm',
      'ConfigMap/argocd/argocd-tls-certs-cm',
      ...secrets.map((o) => keyOf(o)),
      ...projects.map((o) => keyOf({ ...o, kind: 'AppProject' })),
      ...apps.map((o) => keyOf({ ...o, kind: 'Application' })),
      ...appSets.map((o) => keyOf({ ...o, kind: 'ApplicationSet' })),
    ];
    assert.deepEqual(docs.map((d) => keyOf(d)), expected);
  } finally {
    client.close();
  }
  // The seeded facts: 3 projects + default, 40 Applications in argocd, 5 in team-* (sandbox is not enabled), 2 ApplicationSets.
  assert.equal(result.counts.ConfigMap, 4);
  assert.equal(result.counts.AppProject, 4);
  assert.equal(docs.filter((d) => d.kind === 'Application' && !d.metadata.namespace).length, 40);
  assert.deepEqual([...new Set(docs.filter((d) => d.metadata.namespace).map((d) => d.metadata.namespace))].sort(), ['team-alpha', 'team-beta']);
  assert.equal(result.counts.ApplicationSet, 2);
  assert.ok(result.counts.Secret >= 1 + 4 + 2 + 2, 'argocd-secret, repositories, repo-creds and clusters');
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.applicationNamespaces, ['team-*']);
  // Never part of a backup: the agent's own objects, its token, redis, gpg keys and cmd params.
  for (const d of docs) {
    assert.ok(!d.metadata.name.startsWith('gitops-agent'), `agent object in backup: ${keyOf(d)}`);
    assert.ok(!['argocd-redis', 'argocd-gpg-keys-cm', 'argocd-cmd-params-cm', 'argocd-harness-plugin'].includes(d.metadata.name), keyOf(d));
    assert.notEqual(d.metadata.labels?.['app.kubernetes.io/part-of'], 'harness-gitops', keyOf(d));
  }
  assert.ok(!text.includes('GITOPS_AGENT_TOKEN'));
  // Argo's separators and sanitising.
  assert.ok(text.endsWith('---\n'));
  assert.equal(text.split('\n---\n').length, docs.length + 1); // the last separator ends the text
  assert.ok(!/^ {2}(uid|resourceVersion|creationTimestamp|managedFields|generation):/m.test(text));
});

test('demo east: paging with small pages gives the same bytes as one page', async () => {
  const small = await backupOf('east', { pageSize: 7 });
  const large = await backupOf('east', { pageSize: 1000 });
  assert.equal(small.text, large.text);
});

test('demo east: the odd-strings Application round-trips: what the backup says is what the cluster holds', async () => {
  const { docs, text } = await backupOf('east');
  const odd = docs.find((d) => d.kind === 'Application' && d.metadata.name === 'odd-strings');
  assert.ok(odd, 'the seeded odd-strings Application is in the backup');
  const client = await clientFor('east');
  try {
    const live = (await client.get(APPLICATION, 'argocd', 'odd-strings')) as KubeObject;
    assert.deepEqual(odd, JSON.parse(JSON.stringify(sanitiseForBackup(live, 'argocd'))));
  } finally {
    client.close();
  }
  // A few of the exact lines go-yaml writes for them.
  for (const line of [
    '    acme.example/bool: "yes"',
    "    acme.example/brackets: '[not, a, list]'",
    '    acme.example/date: "2026-01-15"',
    '    acme.example/empty: ""',
    "    acme.example/leading-space: '  padded'",
    '    acme.example/multiline: |',
    '    acme.example/tab: "a\\tb"',
    '    acme.example/unicode: "café — 東京 ✓ \\U0001F680"',
    "    acme.example/star: '*'",
    '    acme.example/octal: "0755"',
  ]) {
    assert.ok(text.includes(`${line}\n`), `expected line: ${line}`);
  }
});

test('limited identity (no Secrets): the backup fails and names the permission; the CLI writes no file', async () => {
  const client = await clientFor('east-limited', true);
  try {
    await assert.rejects(
      exportBackup(client, { namespace: 'argocd' }, () => undefined),
      (e: unknown) => e instanceof KubeError && e.reason === 'forbidden' && /may not list secrets in namespace argocd \(needs list on secrets in namespace argocd\)/.test(e.message),
    );
  } finally {
    client.close();
  }
  const s = await scenario('demo');
  const dir = mkdtempSync(join(tmpdir(), 'backup-cli-'));
  const io = { ...captureIO('', { ...process.env, KUBECONFIG: mergedKubeconfigFiles(s).join(':') }), cwd: dir };
  const code = await runCli(['backup', '--context', 'east-limited', '-n', 'argocd', '-o', 'limited.backup.yaml'], io);
  assert.equal(code, 3);
  assert.match(io.err(), /needs list on secrets/);
  assert.match(io.err(), /no backup file was written/);
  assert.deepEqual(readdirSync(dir), []);
});

test('unreachable context: a timeout, and no file', async () => {
  const s = await scenario('demo');
  const dir = mkdtempSync(join(tmpdir(), 'backup-cli-'));
  const io = { ...captureIO('', { ...process.env, KUBECONFIG: s.kubeconfig }), cwd: dir };
  const started = Date.now();
  const code = await runCli(['backup', '--context', 'offline', '-n', 'argocd', '--timeout', '1'], io);
  assert.equal(code, 3);
  assert.match(io.err(), /timeout|refused/);
  assert.ok(Date.now() - started < 15_000);
  assert.deepEqual(readdirSync(dir), []);
});

test('CLI: writes the same bytes as the core, mode 0600, default name <context>-<namespace>-<UTC>.backup.yaml', async () => {
  const s = await scenario('demo');
  const dir = mkdtempSync(join(tmpdir(), 'backup-cli-'));
  const io = { ...captureIO('', { ...process.env, KUBECONFIG: s.kubeconfig }), cwd: dir };
  const code = await runCli(['backup', '--context', 'east', '-n', 'argocd'], io);
  assert.equal(code, 0, io.err());
  const files = readdirSync(dir);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^east-argocd-\d{8}T\d{6}Z\.backup\.yaml$/);
  const path = join(dir, files[0]!);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const { text } = await backupOf('east');
  assert.equal(readFileSync(path, 'utf8'), text);
  assert.match(io.err(), /backup of east\/argocd \(native\): 4 ConfigMaps, \d+ Secrets, 4 AppProjects, 45 Applications, 2 ApplicationSets/);
  assert.ok(!io.out().includes('apiVersion'), 'nothing on stdout when writing a file');

  const toStdout = { ...captureIO('', { ...process.env, KUBECONFIG: s.kubeconfig }), cwd: dir };
  assert.equal(await runCli(['backup', '--context', 'east', '-n', 'argocd', '-o', '-'], toStdout), 0);
  assert.equal(toStdout.out(), text);
});

test('CLI: bad usage exits 2 and names the flag', async () => {
  const s = await scenario('demo');
  const io = captureIO('', { ...process.env, KUBECONFIG: s.kubeconfig });
  assert.equal(await runCli(['backup', '--context', 'east', '--bogus'], io), 2);
  assert.match(io.err(), /unknown option --bogus/);
  const io2 = captureIO('', { ...process.env, KUBECONFIG: s.kubeconfig });
  assert.equal(await runCli(['backup', '--context', 'nope'], io2), 2);
  assert.match(io2.err(), /context "nope" is not in the kubeconfig/);
});

test('west (Argo CD installed, no entities): a backup of only the ConfigMaps, argocd-secret and the default project', async () => {
  const { result, docs } = await backupOf('west');
  assert.equal(result.counts.ConfigMap, 4);
  assert.equal(result.counts.Application, 0);
  assert.ok(docs.some((d) => d.kind === 'Secret' && d.metadata.name === 'argocd-secret'));
});

test('exec mode on a real cluster: the StatefulSet and its selector resolve; no pod runs, so it says so', async () => {
  const client = await clientFor('east');
  try {
    await assert.rejects(exportBackupViaExec(client, { namespace: 'argocd' }, () => undefined), (e: unknown) => {
      assert.ok(e instanceof KubeError, String(e));
      assert.match(e.message, /no running pod of statefulset argocd-application-controller|statefulset argocd-application-controller not found/);
      return true;
    });
  } finally {
    client.close();
  }
});

test('cancellation mid-way: the CLI-style file write leaves nothing behind', async () => {
  const client = await clientFor('east');
  const dir = mkdtempSync(join(tmpdir(), 'backup-cancel-'));
  const abort = new AbortController();
  try {
    await assert.rejects(
      saveBackupFile(join(dir, 'x.backup.yaml'), (sink) =>
        exportBackup(client, { namespace: 'argocd', pageSize: 5, signal: abort.signal, onProgress: (p) => p.total === 10 && abort.abort() }, sink),
      ),
      (e: unknown) => e instanceof KubeError && e.reason === 'cancelled',
    );
  } finally {
    client.close();
  }
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(existsSync(join(dir, 'x.backup.yaml')), false);
});
