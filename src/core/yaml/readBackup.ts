// The positioned backup reader: one parse of a multi-document YAML file (or a JSON stream) into plain objects, with
// the exact source range of every document and field and a problem, with a range, for anything unreadable or hostile.
// Restore refuses to plan when `problems` holds an error; the linter reports problems beside its own findings.
// The format's reader: readYamlBackup.ts (canonical fast path, else the yaml package) or readJsonBackup.ts.
import { looksLikeJson } from './jsonStream';
import { LineIndex, type Position } from './textPositions';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './yamlLimits';
import { decodeBackupBytes } from './utf8';
import { addProblem, READ_CODES, type BackupDocument, type Collector, type ReadProblem } from './backupDocument';
import { readCanonicalStream, readYamlStream } from './readYamlBackup';
import { readJsonStream } from './readJsonBackup';

export type { Position, TextRange } from './textPositions';
export { LineIndex } from './textPositions';
export { DEFAULT_READ_LIMITS, ETCD_MAX_REQUEST_BYTES, type ReadLimits } from './yamlLimits';
export { READ_CODES, type BackupDocument, type ReadProblem } from './backupDocument';

export interface ParsedBackup {
  format: 'yaml' | 'json';
  documents: BackupDocument[];
  problems: ReadProblem[];
  text: string;
  /** Offset <-> position conversion for `text`. */
  lines: LineIndex;
}

export interface ReadBackupOptions {
  maxScalarBytes?: number;
  maxDepth?: number;
  maxAliases?: number;
  maxDocuments?: number;
  /** false: always read YAML with the yaml package, never the canonical fast path (tests compare the two). */
  fastPath?: boolean;
}

function limitsOf(options: ReadBackupOptions | undefined): ReadLimits {
  const pick = (v: number | undefined, d: number): number => (v !== undefined && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    maxScalarBytes: pick(options?.maxScalarBytes, DEFAULT_READ_LIMITS.maxScalarBytes),
    maxDepth: pick(options?.maxDepth, DEFAULT_READ_LIMITS.maxDepth),
    maxAliases: pick(options?.maxAliases, DEFAULT_READ_LIMITS.maxAliases),
    maxDocuments: pick(options?.maxDocuments, DEFAULT_READ_LIMITS.maxDocuments),
  };
}

/** Reads a backup file's text (or its bytes, which must be UTF-8: BK011 otherwise). Never throws on bad input: everything wrong becomes a problem with a range. */
export function readBackup(input: string | Uint8Array, options?: ReadBackupOptions): ParsedBackup {
  const decoded = typeof input === 'string' ? { text: input } : decodeBackupBytes(input);
  const text = decoded.text;
  const lines = LineIndex.of(text);
  const c: Collector = { text, lines, limits: limitsOf(options), documents: [], problems: [] };
  if (decoded.invalid) {
    const { offset, byteOffset, count } = decoded.invalid;
    const more = count > 1 ? ` (and ${count - 1} more such sequence${count === 2 ? '' : 's'})` : '';
    addProblem(c, READ_CODES.notUtf8, 'error', `byte ${byteOffset} is not valid UTF-8${more}: Argo CD's YAML reader refuses the file, and reading it anyway would restore U+FFFD in its place`, offset, Math.min(offset + 1, text.length));
  }
  const format = looksLikeJson(text) ? 'json' : 'yaml';
  if (format === 'json') readJsonStream(c);
  else if (options?.fastPath === false || !readCanonicalStream(c)) readYamlStream(c);

  c.documents.sort((a, b) => a.tokenStart - b.tokenStart);
  c.documents.forEach((d, i) => (d.index = i));
  const problems = c.problems
    .map(({ problem, doc }) => (doc ? { ...problem, documentIndex: doc.index } : problem))
    .sort((a, b) => a.range.startOffset - b.range.startOffset);
  return { format, documents: c.documents, problems, text, lines };
}

/** 1-based `line:col` of a position, as compilers print it. */
export function formatPosition(p: Position): string {
  return `${p.line + 1}:${p.character + 1}`;
}
