// Quick fixes as plain text edits: remove a document, insert a stub ConfigMap, remove a field.
import type { BackupDocument, ParsedBackup } from '../yaml/readBackup';
import { READ_CODES } from '../yaml/readBackup';
import type { LintFix } from './findings';

/** Deletes the document with its `---` marker; the documents around it stay well-formed. */
export function removeDocumentFix(parsed: ParsedBackup, doc: BackupDocument, what: string): LintFix | undefined {
  // Removing an element of a JSON array would need comma surgery; such files are read with a warning anyway.
  if (parsed.format === 'json' && parsed.problems.some((p) => p.code === READ_CODES.jsonArray)) return undefined;
  return { title: `Remove ${what} from the backup`, edits: [{ range: doc.extent, newText: '' }] };
}

/** A ConfigMap stub in the file's own format, inserted first (Argo CD exports ConfigMaps first). */
export function insertConfigMapStubFix(parsed: ParsedBackup, name: string): LintFix | undefined {
  if (parsed.format === 'json' && parsed.problems.some((p) => p.code === READ_CODES.jsonArray)) return undefined;
  const newText =
    parsed.format === 'json'
      ? `${JSON.stringify({ apiVersion: 'v1', data: {}, kind: 'ConfigMap', metadata: { name } })}\n`
      : `apiVersion: v1\ndata: {}\nkind: ConfigMap\nmetadata:\n  name: ${name}\n---\n`;
  const at = parsed.lines.range(0, 0);
  return { title: `Insert an empty ${name} ConfigMap (a restore then empties the target's ${name})`, edits: [{ range: at, newText }] };
}

function lineStartOf(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * Removes a mapping entry (`operation: …`). In block YAML, whole lines from the key's line to the value's last
 * line; in flow/JSON, the entry and one neighbouring comma.
 */
export function removeFieldFix(parsed: ParsedBackup, doc: BackupDocument, path: ReadonlyArray<string | number>, title: string): LintFix | undefined {
  const pair = doc.pairRangeOf(path);
  if (!pair) return undefined;
  const { text, lines } = parsed;
  const start = pair.startOffset;
  const end = pair.endOffset;
  const lineStart = lineStartOf(text, start);
  if (isBlank(text, lineStart, start)) {
    // Block style: the entry owns its lines (and a trailing comment on its last line).
    const nl = text.indexOf('\n', end);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    return { title, edits: [{ range: lines.range(lineStart, lineEnd), newText: '' }] };
  }
  // Flow style / JSON: take the comma after the entry, else the one before it.
  let after = end;
  while (after < text.length && /\s/.test(text[after]!)) after++;
  if (text[after] === ',') {
    after++;
    while (after < text.length && /[ \t]/.test(text[after]!)) after++;
    return { title, edits: [{ range: lines.range(start, after), newText: '' }] };
  }
  let before = start;
  while (before > 0 && /\s/.test(text[before - 1]!)) before--;
  if (text[before - 1] === ',') return { title, edits: [{ range: lines.range(before - 1, end), newText: '' }] };
  return { title, edits: [{ range: lines.range(start, end), newText: '' }] };
}
