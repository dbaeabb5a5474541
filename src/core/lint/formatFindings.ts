// Findings as text for terminals and CI (gcc style, 1-based) and as JSON for tools.
import type { LintFinding } from './findings';
import { countBySeverity } from './findings';

/** `file:line:col: severity code message`, the line format editors and CI annotators parse. */
export function formatFindingLine(file: string, f: LintFinding): string {
  return `${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}`;
}

export interface FileFindingsJson {
  file: string;
  findings: Array<{
    code: string;
    severity: LintFinding['severity'];
    message: string;
    /** 1-based, as printed in text output. */
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    documentIndex?: number;
    fix?: string;
  }>;
}

export function findingsToJson(file: string, findings: readonly LintFinding[]): FileFindingsJson {
  return {
    file,
    findings: findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      ...(f.documentIndex !== undefined ? { documentIndex: f.documentIndex } : {}),
      ...(f.fix ? { fix: f.fix.title } : {}),
    })),
  };
}

export function summarizeFindings(all: readonly LintFinding[], files: number): string {
  const c = countBySeverity(all);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info in ${plural(files, 'file')}`;
}
