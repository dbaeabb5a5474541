// gitopsDr.lintFile: lints one file on request (whatever its name) and returns the findings, so that tests and other
// features can assert on them. Argument: a Uri, a path or URI string, {uri} / {path} / {fsPath}, or nothing (the
// active editor).
import * as vscode from 'vscode';
import type { LintFinding } from '../../core/lint/lintBackup';
import { countBySeverity } from '../../core/lint/findings';
import type { BackupLintController } from './backupLintController';
import type { LintRunner } from './lintRunner';
import type { LintSettings } from './lintSettings';

export interface LintFileResult {
  uri: string;
  findings: LintFinding[];
  counts: { error: number; warning: number; info: number };
  /** True when the result came from the cache (the text was linted before). */
  cached: boolean;
  ms: number;
}

function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return /^[a-z][a-z0-9+.-]+:/i.test(arg) && !/^[a-z]:\\/i.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  if (arg && typeof arg === 'object') {
    const o = arg as { uri?: unknown; path?: unknown; fsPath?: unknown; resourceUri?: unknown };
    return uriOf(o.uri ?? o.resourceUri ?? o.fsPath ?? o.path);
  }
  return vscode.window.activeTextEditor?.document.uri;
}

/** Findings without the editor-only fix list (plain LintFinding). */
function plain<T extends LintFinding & { fixes?: unknown }>(f: T): LintFinding {
  const { fixes: _fixes, ...rest } = f;
  void _fixes;
  return rest;
}

export async function lintFileCommand(controller: BackupLintController, runner: LintRunner, settings: () => LintSettings, arg?: unknown): Promise<LintFileResult | undefined> {
  const uri = uriOf(arg);
  if (!uri) {
    void vscode.window.showWarningMessage('GitOps DR: open a backup file, or pass one, to lint it.');
    return undefined;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    const r = await controller.lintDocument(open, { requireBackupContent: false });
    return { uri: uri.toString(), findings: r.findings.map(plain), counts: countBySeverity(r.findings), cached: r.cached, ms: r.ms };
  }
  let text: string;
  try {
    text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch (e) {
    throw new Error(`cannot read ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}: ${(e as Error).message}`);
  }
  const result = await runner.run({ text, options: settings().options, requireBackupContent: false });
  controller.publish(uri, result.findings);
  return { uri: uri.toString(), findings: result.findings.map(plain), counts: countBySeverity(result.findings), cached: false, ms: result.ms };
}
