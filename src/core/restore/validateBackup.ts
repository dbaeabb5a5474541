// The gate in front of a restore in the CLI and VS Code: the reader's errors (syntax, hostile input), the linter's
// errors for this target (its namespace and enabled app namespaces), and the restore's own input checks, as one
// list with positions. Nothing is planned from a backup with any of them.
import { readBackup, type ParsedBackup } from '../yaml/readBackup';
import { lintBackup } from '../lint/lintBackup';
import { checkBackupInput, type BackupObject, type InputProblem } from './input';

export interface BackupTarget {
  namespace: string;
  applicationNamespaces?: string[];
  applicationSetNamespaces?: string[];
}

export interface ValidatedBackup {
  parsed: ParsedBackup;
  /** Everything that refuses the restore, in text order where positions are known. */
  problems: InputProblem[];
  objects: BackupObject[];
}

function byPosition(a: InputProblem, b: InputProblem): number {
  const la = a.range?.start.line ?? Number.MAX_SAFE_INTEGER;
  const lb = b.range?.start.line ?? Number.MAX_SAFE_INTEGER;
  return la - lb || (a.range?.start.character ?? 0) - (b.range?.start.character ?? 0);
}

export function validateBackupText(text: string, target: BackupTarget): ValidatedBackup {
  const parsed = readBackup(text);
  const { objects, problems } = checkBackupInput(parsed);
  // The restore's own checks already carry the reader's problems (BK*); the linter adds its errors, except where it
  // says again what a restore check said on the same line (an unsupported kind, a duplicate).
  const linesWithProblems = new Set(problems.filter((p) => p.range).map((p) => p.range!.start.line));
  const findings = lintBackup(parsed, { argoNamespace: target.namespace, enabledNamespaces: target.applicationNamespaces ?? [], errorsOnly: true });
  for (const f of findings) {
    if (f.severity !== 'error' || f.code.startsWith('BK') || linesWithProblems.has(f.range.start.line)) continue;
    problems.push({ message: `${f.message} [${f.code}]`, range: f.range, ...(f.documentIndex !== undefined ? { documentIndex: f.documentIndex } : {}) });
  }
  return { parsed, problems: problems.sort(byPosition), objects };
}
