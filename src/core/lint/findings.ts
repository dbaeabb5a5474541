// What the linter returns: plain data, so the extension maps it to Diagnostics/CodeActions and the CLI prints it.
import type { TextRange } from '../yaml/readBackup';

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintEdit {
  range: TextRange;
  newText: string;
}

/** A quick fix computed in core; the extension turns it into a WorkspaceEdit as is. */
export interface LintFix {
  title: string;
  edits: LintEdit[];
}

export interface LintFinding {
  code: string;
  severity: LintSeverity;
  message: string;
  range: TextRange;
  documentIndex?: number;
  fix?: LintFix;
}

export interface LintOptions {
  /** The Argo CD namespace the backup comes from; documents without metadata.namespace are in it. */
  argoNamespace?: string;
  /** Argo CD's application namespaces (globs or /regex/), as `--application-namespaces` takes them. */
  enabledNamespaces?: string[];
  /** Apply `# gitops-dr-disable…` comments (default true). */
  suppressions?: boolean;
  /**
   * Only the findings that are errors (the restore gate: warnings refuse nothing, and each finding costs the exact
   * range of a field, i.e. a positioned parse of its document).
   */
  errorsOnly?: boolean;
}

export function countBySeverity(findings: readonly LintFinding[]): Record<LintSeverity, number> {
  const out: Record<LintSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

export function hasErrors(findings: readonly LintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
