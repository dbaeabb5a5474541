// One lint of one text, as the editor needs it: findings plus every quick fix (the finding's own and the
// suppression comments), all plain data so that it can come back from a worker thread. No 'vscode' here.
import { lintBackupText, type LintFinding, type LintFix, type LintOptions } from '../../core/lint/lintBackup';
import { looksLikeBackup } from '../../core/lint/backupDetection';
import { suppressionFixes } from '../../core/lint/suppressions';

export interface EditorFinding extends LintFinding {
  /** The finding's fix first (if any), then the suppression fixes. */
  fixes: LintFix[];
}

export interface LintJobRequest {
  text: string;
  options: LintOptions;
  /** Lint only when the parsed content looks like a backup (files picked by name, not explicitly). */
  requireBackupContent: boolean;
}

export interface LintJobResult {
  isBackup: boolean;
  findings: EditorFinding[];
  /** Milliseconds spent reading and linting. */
  ms: number;
}

export function runLintJob(req: LintJobRequest): LintJobResult {
  const started = Date.now();
  const { parsed, findings } = lintBackupText(req.text, req.options);
  if (req.requireBackupContent && !looksLikeBackup(parsed) && !parsed.problems.some((p) => p.severity === 'error')) {
    return { isBackup: false, findings: [], ms: Date.now() - started };
  }
  const out = findings.map((f) => ({ ...f, fixes: [...(f.fix ? [f.fix] : []), ...suppressionFixes(parsed, f)] }));
  return { isBackup: true, findings: out, ms: Date.now() - started };
}
