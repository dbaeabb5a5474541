import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readBackup, READ_CODES, formatPosition, type ParsedBackup, type TextRange } from '../../../src/core/yaml/readBackup';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

function at(r: TextRange | undefined): string {
  assert.ok(r, 'a range');
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function codes(p: ParsedBackup): string[] {
  return p.problems.map((x) => x.code);
}

test('readBackup: argocd admin export layout (object, ---, object, ---) reads every object and no empty-document problem', () => {
  const text = `${CM('argocd-cm')}---\n${CM('argocd-rbac-cm')}---\n`;
  const p = readBackup(text);
  assert.equal(p.format, 'yaml');
  assert.deepEqual(p.problems, []);
  assert.equal(p.documents.length, 2);
  assert.deepEqual(p.documents.map((d) => d.index), [0, 1]);
  assert.deepEqual(p.documents.map((d) => d.object?.metadata?.name), ['argocd-cm', 'argocd-rbac-cm']);
  assert.deepEqual(p.documents[1]!.object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm' }, data: { a: '1' } });
  // The second document's content starts after its `---` line and ends at its last character.
  assert.equal(at(p.documents[1]!.range), '7:0-12:8');
  // Its extent runs from its `---` marker to the trailing `---` (what removing it deletes).
  assert.equal(p.text.slice(p.documents[1]!.extent.startOffset, p.documents[1]!.extent.endOffset), `---\n${CM('argocd-rbac-cm')}`);
  assert.equal(p.text.slice(p.documents[0]!.extent.startOffset, p.documents[0]!.extent.endOffset), CM('argocd-cm'));
});

test('readBackup: rangeOf gives a scalar value range, the key+value pair for a block value, and keyRangeOf the key', () => {
  const text = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app-1\noperation:\n  sync:\n    revision: abc\nspec:\n  sources:\n  - repoURL: https://git.example/a\n  - repoURL: https://git.example/b\n';
  const d = readBackup(text).documents[0]!;
  assert.equal(at(d.rangeOf(['metadata', 'name'])), '3:8-3:13');
  assert.equal(at(d.rangeOf(['operation'])), '4:0-6:17');
  assert.equal(at(d.keyRangeOf!(['operation'])), '4:0-4:9');
  assert.equal(at(d.rangeOf(['spec', 'sources', 1, 'repoURL'])), '10:13-10:34');
  assert.equal(at(d.pairRangeOf(['spec', 'sources', 1, 'repoURL'])), '10:4-10:34');
  assert.equal(d.rangeOf(['spec', 'missing']), undefined);
  assert.equal(d.rangeOf(['spec', 'sources', 5]), undefined);
});

test('readBackup: CRLF line endings count as one line break', () => {
  const text = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n';
  const d = readBackup(text).documents[0]!;
  assert.equal(at(d.rangeOf(['metadata', 'name'])), '3:8-3:9');
});

test('readBackup: a YAML syntax error is a BK001 error at its exact position, without quoting the source', () => {
  const text = `${CM('argocd-cm')}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  token: "c2VjcmV0\n`;
  const p = readBackup(text);
  const e = p.problems.find((x) => x.code === READ_CODES.yamlSyntax);
  assert.ok(e, codes(p).join());
  assert.equal(e.severity, 'error');
  assert.equal(e.documentIndex, 1);
  assert.equal(e.range.start.line, 13);
  assert.doesNotMatch(e.message, /c2VjcmV0/);
  assert.equal(p.documents[0]!.hasErrors, false);
  assert.equal(p.documents[1]!.hasErrors, true);
});

test('readBackup: bad indentation is reported where it happens', () => {
  const p = readBackup('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   labels: {}\n');
  const e = p.problems.find((x) => x.code === READ_CODES.yamlSyntax);
  assert.ok(e);
  assert.equal(e.range.start.line, 3);
});

test('readBackup: a document that is not a mapping, or lacks apiVersion/kind/metadata.name, is a problem', () => {
  const p = readBackup(`- a\n- b\n---\njust text\n---\nkind: ConfigMap\nmetadata:\n  labels: {}\n---\n${CM('ok')}`);
  assert.deepEqual(codes(p), [READ_CODES.notMapping, READ_CODES.notMapping, READ_CODES.notKubeObject]);
  assert.match(p.problems[0]!.message, /sequence/);
  assert.match(p.problems[2]!.message, /apiVersion, metadata\.name/);
  assert.equal(at(p.problems[2]!.range), '6:0-7:12');
  assert.deepEqual(p.problems.map((x) => x.documentIndex), [0, 1, 2]);
  assert.equal(p.documents[3]!.object?.metadata?.name, 'ok');
});

test('readBackup: a List is refused as not unpacked by argocd admin import', () => {
  const p = readBackup('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n');
  assert.deepEqual(codes(p), [READ_CODES.notKubeObject]);
  assert.match(p.problems[0]!.message, /List is not unpacked/);
  assert.equal(at(p.problems[0]!.range), '1:6-1:10');
});

test('readBackup: a JSON stream (newline-separated and concatenated objects) is read with ranges', () => {
  const a = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' } }, null, 2);
  const b = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret' } });
  const c = JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' } });
  const text = `${a}\n${b}${c}\n`;
  const p = readBackup(text);
  assert.equal(p.format, 'json');
  assert.deepEqual(p.problems, []);
  assert.deepEqual(p.documents.map((d) => d.object?.metadata?.name), ['argocd-cm', 'argocd-secret', 'p']);
  const nameRange = p.documents[1]!.rangeOf(['metadata', 'name'])!;
  assert.equal(text.slice(nameRange.startOffset, nameRange.endOffset), '"argocd-secret"');
  assert.equal(p.documents[2]!.range.start.line, 7);
  assert.equal(p.documents[2]!.range.start.character, b.length);
});

test('readBackup: a JSON array is read item by item with a BK010 warning', () => {
  const text = `[\n${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } })},\n${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } })}\n]\n`;
  const p = readBackup(text);
  assert.deepEqual(codes(p), [READ_CODES.jsonArray]);
  assert.equal(p.problems[0]!.severity, 'warning');
  assert.deepEqual(p.documents.map((d) => d.object?.metadata?.name), ['a', 'b']);
  assert.equal(p.documents[1]!.range.start.line, 2);
});

test('readBackup: JSON syntax errors give BK009 at the offending character without quoting input', () => {
  const p = readBackup('{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"t": "c2VjcmV0",}}');
  assert.deepEqual(codes(p), [READ_CODES.jsonSyntax]);
  assert.equal(p.problems[0]!.range.start.character, 91);
  assert.doesNotMatch(p.problems[0]!.message, /c2VjcmV0/);
  const open = readBackup('{"apiVersion": "v1"\n');
  assert.deepEqual(codes(open), [READ_CODES.jsonSyntax]);
  assert.match(open.problems[0]!.message, /never closed/);
  const stray = readBackup('{"a": 1} 42');
  assert.equal(stray.problems.find((x) => x.code === READ_CODES.jsonSyntax)?.range.start.character, 9);
});

test('readBackup: an alias bomb is refused (BK005) at its first alias, quickly', () => {
  const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const letters = 'abcdefghij';
  for (let i = 1; i < letters.length; i++) rows.push(`${letters[i]}: &${letters[i]} [${Array(9).fill(`*${letters[i - 1]}`).join(',')}]`);
  const started = Date.now();
  const p = readBackup(`${CM('fine')}---\n${rows.join('\n')}\n`);
  assert.ok(Date.now() - started < 5000, 'no expansion');
  const bomb = p.problems.find((x) => x.code === READ_CODES.aliasLimit);
  assert.ok(bomb, codes(p).join());
  assert.equal(formatPosition(bomb.range.start), '9:8');
  assert.equal(p.documents[0]!.object?.metadata?.name, 'fine');
  assert.equal(p.documents[1]!.object, undefined);
});

test('readBackup: a few aliases (well under the limit) are expanded', () => {
  const p = readBackup('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: &l {a: b}\n  annotations: *l\n');
  assert.deepEqual(p.problems, []);
  assert.deepEqual(p.documents[0]!.object?.metadata?.annotations, { a: 'b' });
});

test('readBackup: one 50 MB scalar is refused (BK006) with the etcd limit in the message, without composing it', () => {
  const huge = 'x'.repeat(50 * 1024 * 1024);
  const started = Date.now();
  const p = readBackup(`${CM('before')}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: big\ndata:\n  blob: "${huge}"\n---\n${CM('after')}`);
  const elapsed = Date.now() - started;
  const e = p.problems.find((x) => x.code === READ_CODES.scalarTooLarge);
  assert.ok(e, codes(p).join());
  assert.equal(e.severity, 'error');
  assert.match(e.message, /50 MiB/);
  assert.match(e.message, /1\.5 MiB/);
  assert.match(e.message, /etcd/);
  assert.equal(formatPosition(e.range.start), '13:9');
  assert.deepEqual(p.documents.map((d) => d.object?.metadata?.name), ['before', undefined, 'after']);
  assert.ok(elapsed < 30_000, `took ${elapsed} ms`);
});

test('readBackup: a 50 MB block scalar and a 50 MB JSON string are refused too', () => {
  const line = `    ${'y'.repeat(76)}\n`;
  const block = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: |\n${line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))}`;
  const p = readBackup(block);
  assert.deepEqual(codes(p), [READ_CODES.scalarTooLarge]);
  const json = readBackup(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"blob":"${'z'.repeat(50 * 1024 * 1024)}"}}`);
  assert.deepEqual(codes(json), [READ_CODES.scalarTooLarge]);
  assert.equal(json.problems[0]!.range.start.character, 79);
});

test('readBackup: the scalar limit is an option', () => {
  const p = readBackup(`${CM('x')}`.replace('"1"', `"${'a'.repeat(100)}"`), { maxScalarBytes: 50 });
  assert.deepEqual(codes(p), [READ_CODES.scalarTooLarge]);
});

test('readBackup: nesting 10,000 levels deep (flow, block and JSON) is refused (BK007) before any recursive parse', () => {
  const flow = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
  const p1 = readBackup(flow);
  assert.deepEqual(codes(p1), [READ_CODES.tooDeep]);
  assert.equal(formatPosition(p1.problems[0]!.range.start), '5:106');

  let block = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nspec:\n';
  for (let i = 1; i <= 10_000; i++) block += `${' '.repeat(i)}k:\n`;
  const p2 = readBackup(block);
  assert.deepEqual(codes(p2), [READ_CODES.tooDeep]);
  assert.equal(p2.problems[0]!.range.start.line, 4 + 100);

  const seqs = readBackup(`${'- '.repeat(10_000)}x\n`);
  assert.deepEqual(codes(seqs), [READ_CODES.tooDeep]);

  const json = readBackup(`{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
  assert.deepEqual(codes(json), [READ_CODES.tooDeep]);
  assert.equal(json.problems[0]!.range.start.character, 5 + 99);
});

test('readBackup: too many documents stops reading with BK008 at the first one past the limit', () => {
  const p = readBackup(`${CM('a')}---\n${CM('b')}---\n${CM('c')}`, { maxDocuments: 2 });
  assert.deepEqual(codes(p), [READ_CODES.tooManyDocuments]);
  assert.equal(p.problems[0]!.range.start.line, 13);
  assert.equal(p.documents.length, 2);
});

test('readBackup: an empty file and a comment-only file hold no documents and no problems', () => {
  for (const text of ['', '\n\n', '# nothing here\n', '---\n---\n']) {
    const p = readBackup(text);
    assert.deepEqual([p.documents.length, p.problems.length], [0, 0], JSON.stringify(text));
  }
});

test('readBackup: a legitimately large backup (5,000 Applications + 500 Secrets) reads without problems', () => {
  const parts: string[] = [];
  for (let i = 0; i < 500; i++) parts.push(`apiVersion: v1\ndata:\n  url: aHR0cHM6Ly9naXQuZXhhbXBsZS9yZXBv\nkind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: repository\n  name: repo-${i}\ntype: Opaque\n---\n`);
  for (let i = 0; i < 5000; i++) parts.push(`apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app-${i}\nspec:\n  destination:\n    namespace: ns-${i}\n    server: https://kubernetes.default.svc\n  project: default\n  source:\n    path: apps/${i}\n    repoURL: https://git.example/repo\n    targetRevision: main\n---\n`);
  const p = readBackup(parts.join(''));
  assert.deepEqual(p.problems, []);
  assert.equal(p.documents.length, 5500);
  assert.equal(p.documents[5499]!.object?.metadata?.name, 'app-4999');
  assert.equal(p.documents[5499]!.rangeOf(['metadata', 'name'])!.start.line, 5500 * 0 + 500 * 10 + 4999 * 14 + 3);
});
