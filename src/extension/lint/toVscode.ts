// Plain lint data -> VS Code objects, in one place.
import * as vscode from 'vscode';
import type { LintFix, LintSeverity } from '../../core/lint/lintBackup';
import type { TextRange } from '../../core/yaml/readBackup';
import type { EditorFinding } from './lintJob';

export const DIAGNOSTIC_SOURCE = 'gitops-dr';

function toRange(r: TextRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function toSeverity(s: LintSeverity): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

export function toDiagnostic(f: EditorFinding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, toSeverity(f.severity));
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.code;
  return d;
}

export function toWorkspaceEdit(uri: vscode.Uri, fix: LintFix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(uri, toRange(e.range), e.newText);
  return edit;
}

/** The diagnostic and the finding are the same when code and range agree. */
export function sameFinding(d: vscode.Diagnostic, f: EditorFinding): boolean {
  const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
  return String(code) === f.code && d.range.isEqual(toRange(f.range));
}
