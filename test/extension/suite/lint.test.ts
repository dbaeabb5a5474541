/// <reference types="mocha" />
// The backup linter inside a real VS Code: Problems-panel diagnostics with exact codes and ranges on the fixture
// files, no diagnostics for ordinary YAML, quick fixes that work, re-lint on typing, and no re-lint of unchanged text.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { FIXTURES, lintFixturesDir, NOT_A_BACKUP } from '../../fixtures/lint/expectations';
import { COMMANDS } from '../../../src/extension/commandIds';

const EXTENSION_ID = 'gitops-dr.gitops-agent-dr';
const SOURCE = 'gitops-dr';

interface LintFileResult {
  uri: string;
  findings: Array<{ code: string; severity: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>;
  counts: { error: number; warning: number; info: number };
  cached: boolean;
  ms: number;
}

function show(code: string | number | { value: string | number } | undefined, r: vscode.Range): string {
  const c = typeof code === 'object' && code !== null ? code.value : code;
  return `${String(c)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function sortedShown(ds: readonly vscode.Diagnostic[]): string[] {
  return [...ds].sort((a, b) => a.range.start.compareTo(b.range.start) || String(a.code).localeCompare(String(b.code))).map((d) => show(d.code as string, d.range));
}

function waitForDiagnostics(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const ds = ours(uri);
      if (!ready(ds)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(ds);
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for diagnostics on ${uri.fsPath}; have ${JSON.stringify(sortedShown(ours(uri)))}`));
    }, timeoutMs);
    check();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

suite('lint: backup diagnostics and quick fixes', () => {
  const fixtures = lintFixturesDir(__dirname);
  let tmp: string;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.ok((await vscode.commands.getCommands(true)).includes('gitopsDr.lintFile'), 'gitopsDr.lintFile is registered');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-lint-ext-'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A private copy of a fixture to edit (the fixtures stay untouched). */
  function copyOf(file: string, name = file): vscode.Uri {
    const target = path.join(tmp, name);
    fs.copyFileSync(path.join(fixtures, file), target);
    return vscode.Uri.file(target);
  }

  for (const fx of FIXTURES.filter((f) => f.file.endsWith('.backup.yaml') && !f.options && !f.bytes && f.expected.length > 0)) {
    test(`opening ${fx.file} shows ${fx.expected.join(', ')} in the Problems panel`, async () => {
      const uri = vscode.Uri.file(path.join(fixtures, fx.file));
      await vscode.workspace.openTextDocument(uri);
      const ds = await waitForDiagnostics(uri, (d) => d.length >= fx.expected.length);
      assert.deepStrictEqual(sortedShown(ds), [...fx.expected].sort((a, b) => {
        const [la, ca] = a.split('@')[1]!.split('-')[0]!.split(':').map(Number);
        const [lb, cb] = b.split('@')[1]!.split('-')[0]!.split(':').map(Number);
        return la! - lb! || ca! - cb! || a.localeCompare(b);
      }));
      const severities = ds.map((d) => d.severity);
      assert.ok(severities.every((s) => s !== undefined));
    });
  }

  test('a clean backup (and a JSON stream) lint clean through gitopsDr.lintFile', async () => {
    for (const file of ['clean.backup.yaml', 'json-stream.backup.json']) {
      const uri = vscode.Uri.file(path.join(fixtures, file));
      const r = await vscode.commands.executeCommand<LintFileResult>(COMMANDS.lintFile, uri);
      assert.ok(r, file);
      assert.deepStrictEqual(r.findings, [], file);
      assert.deepStrictEqual(ours(uri), [], file);
    }
  });

  test('gitopsDr.lintFile takes a path string and returns codes and ranges', async () => {
    const r = await vscode.commands.executeCommand<LintFileResult>(COMMANDS.lintFile, path.join(fixtures, 'DRL011-missing-cluster.backup.yaml'));
    assert.deepStrictEqual(
      r.findings.map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`),
      ['DRL011@113:12-113:44', 'DRL011@134:10-134:14'],
    );
    assert.deepStrictEqual(r.counts, { error: 0, warning: 2, info: 0 });
  });

  test('an ordinary YAML file whose name looks like a backup gets no diagnostics', async () => {
    const uri = vscode.Uri.file(path.join(fixtures, NOT_A_BACKUP));
    await vscode.workspace.openTextDocument(uri);
    // Give a wrongly-triggered lint every chance to publish (debounce is 300 ms).
    await sleep(1500);
    assert.deepStrictEqual(ours(uri), []);
  });

  test('quick fix: remove a Harness agent document; the diagnostic goes away', async () => {
    const uri = copyOf('DRL003-harness-agent-objects.backup.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const ds = await waitForDiagnostics(uri, (d) => d.length === 4);
    const target = ds.find((d) => d.message.startsWith('Secret gitops-agent belongs'))!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, target.range, vscode.CodeActionKind.QuickFix.value);
    const remove = actions.find((a) => a.title === 'Remove Secret gitops-agent from the backup');
    assert.ok(remove?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title === 'Suppress DRL003 on this line'));
    assert.ok(await vscode.workspace.applyEdit(remove.edit));
    const after = await waitForDiagnostics(uri, (d) => d.length === 3);
    assert.ok(after.every((d) => !d.message.startsWith('Secret gitops-agent belongs')));
    assert.ok(!doc.getText().includes('GITOPS_AGENT_TOKEN'));
  });

  test('quick fix: remove .operation', async () => {
    const uri = copyOf('DRL014-operation.backup.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const [d] = await waitForDiagnostics(uri, (ds) => ds.length === 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d!.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Remove .operation (no sync starts on restore)');
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitForDiagnostics(uri, (ds) => ds.length === 0);
    assert.strictEqual(doc.getText(), fs.readFileSync(path.join(fixtures, 'clean.backup.yaml'), 'utf8'));
  });

  test('quick fix: insert a stub for a missing ConfigMap', async () => {
    const uri = copyOf('DRL001-missing-configmap.backup.yaml');
    await vscode.workspace.openTextDocument(uri);
    const [d] = await waitForDiagnostics(uri, (ds) => ds.length === 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d!.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Insert an empty argocd-rbac-cm ConfigMap'));
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitForDiagnostics(uri, (ds) => ds.length === 0);
  });

  test('quick fix: a suppression comment hides the finding', async () => {
    const uri = copyOf('DRL010-missing-project.backup.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const [d] = await waitForDiagnostics(uri, (ds) => ds.length === 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d!.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Suppress DRL010 on this line');
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitForDiagnostics(uri, (ds) => ds.length === 0);
    assert.ok(doc.getText().includes('  # gitops-dr-disable-next-line DRL010\n  project: team-b\n'));
  });

  test('typing re-lints after the debounce; unchanged text is served from the cache', async () => {
    const uri = copyOf('clean.backup.yaml', 'typing.backup.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const first = await vscode.commands.executeCommand<LintFileResult>(COMMANDS.lintFile, uri);
    assert.deepStrictEqual(first.findings, []);
    const again = await vscode.commands.executeCommand<LintFileResult>(COMMANDS.lintFile, uri);
    assert.strictEqual(again.cached, true, 'same version: no second lint');

    const at = doc.getText().indexOf('  name: guestbook\n') + '  name: guestbook\n'.length;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, doc.positionAt(at), 'operation:\n  sync: {}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const ds = await waitForDiagnostics(uri, (d) => d.length === 1);
    assert.deepStrictEqual(sortedShown(ds), ['DRL014@110:0-111:10']);

    const undo = new vscode.WorkspaceEdit();
    undo.delete(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'operation:\n  sync: {}\n'.length)));
    assert.ok(await vscode.workspace.applyEdit(undo));
    await waitForDiagnostics(uri, (d) => d.length === 0);
    const back = await vscode.commands.executeCommand<LintFileResult>(COMMANDS.lintFile, uri);
    assert.strictEqual(back.cached, true, 'the same text as before: served from the cache');
  });

  test('closing a backup clears its diagnostics', async () => {
    // An untitled document is disposed as soon as its editor is reverted and closed (a file's model may linger).
    const uri = vscode.Uri.parse(`untitled:${path.join(tmp, 'closing.backup.yaml')}`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), fs.readFileSync(path.join(fixtures, 'DRL010-missing-project.backup.yaml'), 'utf8'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(uri, (ds) => ds.length === 1);
    const closed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.toString() === uri.toString()) {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await closed;
    await waitForDiagnostics(uri, (ds) => ds.length === 0, 5_000);
  });

  test('a 10,000-document backup is linted off the main thread while a small file still lints promptly', async () => {
    const parts: string[] = [fs.readFileSync(path.join(fixtures, 'clean.backup.yaml'), 'utf8')];
    for (let i = 0; i < 10_000; i++) {
      parts.push(`apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app-${i}\nspec:\n  destination:\n    name: in-cluster\n    namespace: ns-${i}\n  project: ${i === 9_999 ? 'nowhere' : 'default'}\n  source:\n    path: apps/${i}\n    repoURL: https://github.com/example/apps.git\n    targetRevision: main\n---\n`);
    }
    const big = path.join(tmp, 'big.backup.yaml');
    fs.writeFileSync(big, parts.join(''));
    const bigUri = vscode.Uri.file(big);
    const started = Date.now();
    const bigLint = vscode.commands.executeCommand<LintFileResult>(COMMANDS.lintFile, bigUri);
    const small = await vscode.commands.executeCommand<LintFileResult>(COMMANDS.lintFile, path.join(fixtures, 'DRL010-missing-project.backup.yaml'));
    const smallDone = Date.now() - started;
    assert.strictEqual(small.findings.length, 1);
    const r = await bigLint;
    const bigDone = Date.now() - started;
    assert.deepStrictEqual(r.findings.map((f) => f.code), ['DRL010']);
    console.log(`      big backup: ${bigDone} ms (lint ${r.ms} ms); small file meanwhile: ${smallDone} ms`);
    assert.ok(smallDone < bigDone, 'the small file did not wait for the big one');
  });
});
