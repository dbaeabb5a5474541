// The backup linter: the reader's problems plus every rule, each finding with a stable code, a severity, a message
// that says what goes wrong on restore, the range it is about and, where one exists, a quick fix.
// Every rule is one pass over the documents with maps: linting costs little next to the one parse readBackup does.
import type { ParsedBackup } from '../yaml/readBackup';
import { readBackup, type ReadBackupOptions } from '../yaml/readBackup';
import { READ_CODES } from '../yaml/readBackup';
import type { LintFinding, LintOptions } from './findings';
import { removeDocumentFix } from './fixes';
import { LintRun } from './lintRun';
import { checkHazards } from './rules/hazardRules';
import { checkDuplicates, checkForbiddenObjects, checkNamespaces, checkRequiredObjects } from './rules/objectRules';
import { checkReferences } from './rules/referenceRules';
import { applySuppressions } from './suppressions';

export type { LintEdit, LintFinding, LintFix, LintOptions, LintSeverity } from './findings';
export { countBySeverity, hasErrors } from './findings';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function lintBackup(parsed: ParsedBackup, options: LintOptions = {}): LintFinding[] {
  const run = new LintRun(parsed, options);
  for (const p of parsed.problems) {
    const doc = p.documentIndex === undefined ? undefined : parsed.documents[p.documentIndex];
    // A document that is no Kubernetes object can be removed with a click.
    const fix = doc && (p.code === READ_CODES.notMapping || p.code === READ_CODES.notKubeObject) ? removeDocumentFix(parsed, doc, 'this document') : undefined;
    run.findings.push({ code: p.code, severity: p.severity, message: p.message, range: p.range, ...(p.documentIndex !== undefined ? { documentIndex: p.documentIndex } : {}), ...(fix ? { fix } : {}) });
  }
  checkRequiredObjects(run);
  checkForbiddenObjects(run);
  checkDuplicates(run);
  checkNamespaces(run);
  checkReferences(run);
  checkHazards(run);
  const findings = options.suppressions === false ? run.findings : applySuppressions(parsed, run.findings);
  return findings.sort(
    (a, b) => a.range.startOffset - b.range.startOffset || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code),
  );
}

/** Reads and lints in one call (the CLI and the extension use this). */
export function lintBackupText(text: string | Uint8Array, options: LintOptions & { read?: ReadBackupOptions } = {}): { parsed: ParsedBackup; findings: LintFinding[] } {
  const parsed = readBackup(text, options.read);
  return { parsed, findings: lintBackup(parsed, options) };
}
