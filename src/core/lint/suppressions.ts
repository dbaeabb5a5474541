// Inline suppression comments:
//   # gitops-dr-disable-next-line DRL012            findings with that code starting on the next line
//   # gitops-dr-disable DRL012, DRL013 -- a reason   findings with those codes anywhere in the file
// Without codes, every code is meant. Reader errors (BK* errors) cannot be suppressed: the file cannot be read.
import type { ParsedBackup } from '../yaml/readBackup';
import type { LintFinding, LintFix } from './findings';

const DISABLE_NEXT_LINE = 'gitops-dr-disable-next-line';
const DISABLE_FILE = 'gitops-dr-disable';

const MARKER = /(?:^|\s)#\s*gitops-dr-disable(-next-line)?(?=\s|$)([^\r\n]*)/;

interface Suppressions {
  /** Line (0-based) -> codes, or '*' for all. */
  nextLine: Map<number, Set<string>>;
  file: Set<string>;
}

function codesOf(rest: string): Set<string> {
  const body = rest.split('--')[0] ?? '';
  const codes = body.split(/[\s,]+/).filter((c) => /^[A-Z]+\d+$/.test(c));
  return new Set(codes.length > 0 ? codes : ['*']);
}

function findSuppressions(parsed: ParsedBackup): Suppressions {
  const out: Suppressions = { nextLine: new Map(), file: new Set() };
  const { text, lines } = parsed;
  let i = text.indexOf(DISABLE_FILE);
  while (i >= 0) {
    const line = lines.lineOf(i);
    const start = lines.lineStart(line);
    const nl = text.indexOf('\n', i);
    const lineText = text.slice(start, nl < 0 ? text.length : nl);
    const m = MARKER.exec(lineText);
    if (m) {
      const codes = codesOf(m[2] ?? '');
      if (m[1]) {
        const target = out.nextLine.get(line + 1) ?? new Set<string>();
        codes.forEach((c) => target.add(c));
        out.nextLine.set(line + 1, target);
      } else codes.forEach((c) => out.file.add(c));
    }
    i = nl < 0 ? -1 : text.indexOf(DISABLE_FILE, nl);
  }
  return out;
}

function suppressible(f: LintFinding): boolean {
  return !(f.code.startsWith('BK') && f.severity === 'error');
}

export function applySuppressions(parsed: ParsedBackup, findings: LintFinding[]): LintFinding[] {
  if (!parsed.text.includes(DISABLE_FILE)) return findings;
  const s = findSuppressions(parsed);
  return findings.filter((f) => {
    if (!suppressible(f)) return true;
    if (s.file.has('*') || s.file.has(f.code)) return false;
    const codes = s.nextLine.get(f.range.start.line);
    return !(codes && (codes.has('*') || codes.has(f.code)));
  });
}

/** Quick fixes that add a suppression comment for one finding (none for findings that cannot be suppressed). */
export function suppressionFixes(parsed: ParsedBackup, finding: LintFinding): LintFix[] {
  if (!suppressible(finding) || parsed.format === 'json') return []; // JSON has no comments
  const { text, lines } = parsed;
  const line = finding.range.start.line;
  const lineStart = lines.lineStart(line);
  let indentEnd = lineStart;
  while (indentEnd < text.length && (text[indentEnd] === ' ' || text[indentEnd] === '\t')) indentEnd++;
  const indent = text.slice(lineStart, indentEnd);
  const at = lines.range(lineStart, lineStart);
  return [
    { title: `Suppress ${finding.code} on this line`, edits: [{ range: at, newText: `${indent}# ${DISABLE_NEXT_LINE} ${finding.code}\n` }] },
    { title: `Suppress ${finding.code} in this file`, edits: [{ range: lines.range(0, 0), newText: `# ${DISABLE_FILE} ${finding.code}\n` }] },
  ];
}
