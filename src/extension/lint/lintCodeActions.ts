// Quick fixes for the linter's diagnostics: the finding's own fix (remove a document, insert a stub ConfigMap,
// remove .operation) and the suppression comments. Only for the version that was linted: stale ranges could
// damage the file.
import * as vscode from 'vscode';
import type { BackupLintController } from './backupLintController';
import { DIAGNOSTIC_SOURCE, sameFinding, toWorkspaceEdit } from './toVscode';

export class LintCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly controller: BackupLintController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const findings = this.controller.findingsFor(document);
    if (!findings) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const finding = findings.find((f) => sameFinding(diagnostic, f));
      if (!finding) continue;
      finding.fixes.forEach((fix, i) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(document.uri, fix);
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0 && fix === finding.fix;
        actions.push(action);
      });
    }
    return actions;
  }
}
