// What a restore accepts as input, and the checks that refuse a backup before anything is read from a cluster:
// reader errors, an empty input (it must never mean "prune everything"), documents that are not objects, kinds a
// restore does not write, missing names, duplicates. The reader (src/core/yaml/readBackup.ts) does the parsing and
// the hostile-input limits; these checks work on what it returns.
import { resourceTypeOfKind, BACKUP_KINDS } from '../objects/resources';
import type { KubeObject } from '../objects/kubeObject';
import type { Range } from './types';

/** The parts of the reader's ParsedBackup a restore uses (structural, so tests can build one by hand). */
export interface BackupDocumentLike {
  index: number;
  range?: Range;
  object?: unknown;
  /** The reader found the document broken (its object, if any, may be partial). */
  hasErrors?: boolean;
  /** Range of the value at a path, when the reader knows it. */
  rangeOf?(path: ReadonlyArray<string | number>): Range | undefined;
}

export interface ReaderProblemLike {
  code?: string;
  severity: string;
  message: string;
  range?: Range;
  documentIndex?: number;
}

export interface ParsedBackupLike {
  format?: string;
  documents: readonly BackupDocumentLike[];
  problems: readonly ReaderProblemLike[];
}

/** A reason to refuse the input, with where it is (0-based range) when known. */
export interface InputProblem {
  message: string;
  range?: Range;
  documentIndex?: number;
}

/** One backup object that passed the checks. */
export interface BackupObject {
  index: number;
  range?: Range;
  object: KubeObject;
}

/** Deeper nesting than this is not something Argo CD objects need; refusing it keeps every walk bounded. */
export const MAX_OBJECT_DEPTH = 200;

export class RestoreRefusedError extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(`restore refused: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the input\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'RestoreRefusedError';
  }
}

/** `12:3: message` (1-based line:col), with a file prefix when given. */
export function formatProblem(p: InputProblem, file?: string): string {
  const where = p.range ? `${p.range.start.line + 1}:${p.range.start.character + 1}` : p.documentIndex !== undefined ? `document ${p.documentIndex + 1}` : '';
  return [file, where].filter((s) => s).join(':') + (file || where ? ': ' : '') + p.message;
}

function depthExceeds(value: unknown, limit: number): boolean {
  // Iterative, so a hostile depth cannot overflow the stack here.
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > limit) return true;
    if (v !== null && typeof v === 'object') for (const child of Object.values(v as object)) stack.push([child, d + 1]);
  }
  return false;
}

const KIND_LIST = BACKUP_KINDS.map((t) => t.kind).join(', ');

/** Checks the parsed input; returns the objects to plan with, or the problems that refuse it. */
export function checkBackupInput(parsed: ParsedBackupLike): { objects: BackupObject[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const reported = new Set<number>();
  for (const p of parsed.problems) {
    if (p.severity !== 'error') continue;
    problems.push({ message: p.message, ...(p.range ? { range: p.range } : {}), ...(p.documentIndex !== undefined ? { documentIndex: p.documentIndex } : {}) });
    if (p.documentIndex !== undefined) reported.add(p.documentIndex);
  }
  const objects: BackupObject[] = [];
  const seen = new Map<string, number>();
  for (const doc of parsed.documents) {
    const at = { documentIndex: doc.index, ...(doc.range ? { range: doc.range } : {}) };
    const atPath = (p: Array<string | number>): { documentIndex: number; range?: Range } => {
      const r = doc.rangeOf?.(p);
      return r ? { documentIndex: doc.index, range: r } : at;
    };
    const value = doc.object;
    if (doc.hasErrors || reported.has(doc.index)) continue; // the reader said what is wrong with it
    if (value === undefined || value === null) continue; // an empty document (e.g. a trailing `---`), or one the reader already reported
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ ...at, message: `document ${doc.index + 1} is not an object (a ${Array.isArray(value) ? 'list' : typeof value})` });
      continue;
    }
    if (depthExceeds(value, MAX_OBJECT_DEPTH)) {
      problems.push({ ...at, message: `document ${doc.index + 1} nests deeper than ${MAX_OBJECT_DEPTH} levels` });
      continue;
    }
    const obj = value as KubeObject;
    const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : undefined;
    if (!kind || !apiVersion) {
      problems.push({ ...at, message: `document ${doc.index + 1} has no ${!kind ? 'kind' : 'apiVersion'}` });
      continue;
    }
    const type = resourceTypeOfKind(apiVersion, kind);
    if (!type) {
      problems.push({ ...atPath(['kind']), message: `${kind} (${apiVersion}) is not something a restore writes; a backup holds ${KIND_LIST}` });
      continue;
    }
    const meta = obj.metadata;
    const name = meta && typeof meta === 'object' ? meta.name : undefined;
    if (typeof name !== 'string' || name === '') {
      problems.push({ ...at, message: `${kind} in document ${doc.index + 1} has no metadata.name` });
      continue;
    }
    if (meta!.namespace !== undefined && typeof meta!.namespace !== 'string') {
      problems.push({ ...at, message: `${kind} ${name}: metadata.namespace must be a string` });
      continue;
    }
    const key = `${type.group}/${kind}/${meta!.namespace ?? ''}/${name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ ...atPath(['metadata', 'name']), message: `${kind} ${name} appears twice (documents ${first + 1} and ${doc.index + 1})` });
      continue;
    }
    seen.set(key, doc.index);
    objects.push({ index: doc.index, ...(doc.range ? { range: doc.range } : {}), object: obj });
  }
  if (objects.length === 0 && problems.length === 0) {
    problems.push({ message: 'the backup is empty: no object to restore (an empty input never means "prune everything")' });
  }
  return { objects, problems };
}
