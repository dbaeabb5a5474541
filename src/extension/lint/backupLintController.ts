// Keeps the Problems panel in step with open backup files: lint on open, on change (debounced), clear on close.
// A file is linted when its name matches the backup globs AND its content looks like an Argo CD export, so ordinary
// YAML is never flagged. Unchanged text (same version, or same content again) is never linted twice.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { isBackupText, matchesBackupGlobs } from '../../core/lint/backupDetection';
import { compileGlobs, settingProblem, type GlobMatcher } from '../../core/util/glob';
import type { Log } from '../log';
import type { EditorFinding, LintJobResult } from './lintJob';
import type { LintRunner } from './lintRunner';
import type { LintSettings } from './lintSettings';
import { toDiagnostic } from './toVscode';
import { Disposables } from '../lifecycle';

interface DocState {
  version: number;
  hash: string;
  result: LintJobResult;
}

export interface LintDocumentResult {
  findings: EditorFinding[];
  /** Served from the cache (same version or same text as the last lint). */
  cached: boolean;
  ms: number;
  isBackup: boolean;
}

function hashOf(text: string, settingsKey: string): string {
  return createHash('sha1').update(settingsKey).update('\0').update(text).digest('hex');
}

export class BackupLintController implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('gitops-dr');
  private readonly states = new Map<string, DocState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generations = new Map<string, number>();
  /** Documents once recognised as backups stay linted while open, even when an edit breaks the content check. */
  private readonly knownBackups = new Set<string>();
  private readonly disposables = new Disposables();
  private readonly running = new Set<string>();
  private readonly rerun = new Set<string>();
  private compiled: { key: string; matcher: GlobMatcher } | undefined;

  constructor(
    private readonly runner: LintRunner,
    private readonly log: Log,
    private readonly settings: () => LintSettings,
  ) {
    this.disposables.add<vscode.Disposable>(
      this.diagnostics,
      vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('gitopsDr.lint') || e.affectsConfiguration('gitopsDr.backupFileGlobs')) this.relintAll();
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.onOpen(d);
  }

  /** Name matches the globs and the content is (or once was) a backup's. */
  isCandidate(doc: vscode.TextDocument): boolean {
    const s = this.settings();
    if (!s.enabled) return false;
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
    const key = doc.uri.toString();
    if (this.knownBackups.has(key)) return true;
    const name = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
    const relative = doc.uri.scheme === 'file' ? vscode.workspace.asRelativePath(doc.uri, false) : undefined;
    // The cheap text check here; the lint itself confirms on the parsed documents before publishing anything.
    return matchesBackupGlobs(name, this.matcher(s.globs), relative) && isBackupText(doc.getText());
  }

  /** The globs compiled once per setting value; invalid patterns are reported once, naming the setting. */
  private matcher(globs: readonly string[]): GlobMatcher {
    const key = JSON.stringify(globs);
    if (this.compiled?.key !== key) {
      const matcher = compileGlobs(globs);
      this.compiled = { key, matcher };
      const problem = settingProblem('gitopsDr.backupFileGlobs', matcher);
      if (problem) {
        this.log.warn(problem);
        void vscode.window.showWarningMessage(`GitOps DR: ${problem}`);
      }
    }
    return this.compiled.matcher;
  }

  private onOpen(doc: vscode.TextDocument): void {
    if (this.isCandidate(doc)) void this.lintSafely(doc);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const doc = e.document;
    if (!this.isCandidate(doc)) return;
    this.schedule(doc);
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    // A file that took long to lint waits longer after a keystroke (up to 2 s): typing is not chased by lints.
    const lastMs = this.states.get(key)?.result.ms ?? 0;
    const delay = Math.max(this.settings().debounceMs, Math.min(lastMs, 2000));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lintSafely(doc);
      }, delay),
    );
  }

  /** One automatic lint per document at a time; edits made meanwhile get one more lint of the latest text. */
  private async lintSafely(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    if (this.running.has(key)) {
      this.rerun.add(key);
      return;
    }
    this.running.add(key);
    try {
      await this.lintDocument(doc, { requireBackupContent: !this.knownBackups.has(key) });
    } catch (e) {
      this.log.warn(`lint: ${vscode.workspace.asRelativePath(doc.uri)}: ${(e as Error).message}`);
    } finally {
      this.running.delete(key);
      if (this.rerun.delete(key) && !doc.isClosed) this.schedule(doc);
    }
  }

  /** Lints (or serves from the cache) and publishes the diagnostics. */
  async lintDocument(doc: vscode.TextDocument, opts: { requireBackupContent: boolean }): Promise<LintDocumentResult> {
    const key = doc.uri.toString();
    const settings = this.settings();
    const settingsKey = JSON.stringify(settings.options);
    const st = this.states.get(key);
    const usable = (s: DocState) => s.result.isBackup || opts.requireBackupContent;
    // Settings changes clear the cache (relintAll), so the same version means the same result.
    if (st && st.version === doc.version && usable(st)) return { findings: st.result.findings, cached: true, ms: 0, isBackup: st.result.isBackup };
    const text = doc.getText();
    const hash = hashOf(text, settingsKey);
    if (st && st.hash === hash && usable(st)) {
      st.version = doc.version; // e.g. an undo back to the linted text
      return { findings: st.result.findings, cached: true, ms: 0, isBackup: st.result.isBackup };
    }
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const result = await this.runner.run({ text, options: settings.options, requireBackupContent: opts.requireBackupContent });
    if (result.ms > 500) this.log.info(`lint: ${vscode.workspace.asRelativePath(doc.uri)}: ${result.findings.length} findings in ${result.ms} ms`);
    // A newer lint of this document started meanwhile, or it was closed: do not publish stale results.
    if (this.generations.get(key) !== generation || doc.isClosed) return { findings: result.findings, cached: false, ms: result.ms, isBackup: result.isBackup };
    this.states.set(key, { version: doc.version, hash, result });
    if (result.isBackup) this.knownBackups.add(key);
    this.diagnostics.set(doc.uri, result.findings.map(toDiagnostic));
    return { findings: result.findings, cached: false, ms: result.ms, isBackup: result.isBackup };
  }

  /** Findings of the document's current version (undefined when stale or not linted). */
  findingsFor(doc: vscode.TextDocument): EditorFinding[] | undefined {
    const st = this.states.get(doc.uri.toString());
    return st && st.version === doc.version ? st.result.findings : undefined;
  }

  /** Publishes findings for a file that is not open (the lint command on a path). */
  publish(uri: vscode.Uri, findings: EditorFinding[]): void {
    this.diagnostics.set(uri, findings.map(toDiagnostic));
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.states.delete(key);
    this.generations.delete(key);
    this.knownBackups.delete(key);
    this.rerun.delete(key);
    this.diagnostics.delete(uri);
  }

  private relintAll(): void {
    this.states.clear();
    this.knownBackups.clear();
    this.diagnostics.clear();
    for (const d of vscode.workspace.textDocuments) this.onOpen(d);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.disposables.dispose();
  }
}
