// Hostile and broken input through the real reader and the CLI: refused with a clear message, nothing written,
// memory bounded. A JSON stream restores like YAML.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { gateBackup } from '../../../src/core/restore/gate';
import { FakeKubeApi } from '../../support/fakeKubeApi';
import { captureIO } from '../../integration/support/cliIO';
import { cmdParams, demoBackup } from './fixtures';

function capture(): { io: CliIO; out: () => string; err: () => string } {
  const io = captureIO('', {}, os.tmpdir());
  return { io, out: io.out, err: io.err };
}

function file(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-hostile-'));
  const f = path.join(dir, 'b.yaml');
  fs.writeFileSync(f, text);
  return f;
}

const ALIAS_BOMB = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: argocd-cm',
  'data:',
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  '  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  '  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  '  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  '',
].join('\n');

async function refusedByCli(text: string, pattern: RegExp): Promise<void> {
  const server = await FakeKubeApi.start();
  try {
    server.put(cmdParams());
    const c = capture();
    const code = await runCli(['restore', file(text), '--kubeconfig', server.kubeconfigPath(), '--apply', '--prune'], c.io);
    assert.equal(code, 1, c.err());
    assert.match(c.err(), /refused/);
    assert.match(c.err(), pattern);
    assert.equal(server.writes().length, 0, 'nothing written');
  } finally {
    await server.stop();
  }
}

test('a YAML alias bomb is refused with its position', async () => {
  await refusedByCli(ALIAS_BOMB, /b\.yaml:\d+:\d+: .*alias/i);
});

test('an invalid document is refused with file:line:col, the valid ones do not slip through', async () => {
  await refusedByCli('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n', /b\.yaml:\d+:\d+: /);
});

test('one 50 MB scalar is refused without exhausting memory', async () => {
  const before = process.memoryUsage().rss;
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  big: ${'x'.repeat(50 * 1024 * 1024)}\n`;
  await refusedByCli(text, /b\.yaml:6:\d+: .*(large|MiB|bytes)/i);
  const grown = (process.memoryUsage().rss - before) / 1048576;
  assert.ok(grown < 600, `rss grew ${grown.toFixed(0)} MiB`);
});

test('nesting 10,000 levels deep is refused without a stack overflow', async () => {
  const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
  await refusedByCli(deep, /deep|nest/i);
  const deepJson = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
  assert.ok(gateBackup(deepJson, { namespace: 'argocd' }).problems.length > 0);
});

test('a JSON stream is read like YAML', () => {
  const text = demoBackup().map((o) => JSON.stringify(o)).join('\n');
  const v = gateBackup(text, { namespace: 'argocd' });
  assert.deepEqual(v.problems, []);
  assert.equal(v.objects.length, demoBackup().length);
  assert.equal(v.parsed.format, 'json');
});

test('an input of only separators and comments is refused as empty', () => {
  const v = gateBackup('---\n# nothing\n---\n', { namespace: 'argocd' });
  assert.equal(v.problems.length, 1);
  assert.match(v.problems[0]!.message, /empty/);
});
