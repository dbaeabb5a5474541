// What both readers of a backup (YAML, JSON) build: a positioned document, its problems, and the checks that do
// not depend on the input format (a Kubernetes object's required fields, the size and depth limits' messages).
import { parseDocument, type Document } from 'yaml';
import type { KubeObject } from '../objects/kubeObject';
import { LineIndex, trimEnd, type TextRange } from './textPositions';
import { formatBytes, type CstLimitFinding, type ReadLimits } from './yamlLimits';
import { locatePath, type NodeSpan } from './yamlNodeRanges';

export interface BackupDocument {
  /** 0-based index among the file's non-empty documents (`documents[i].index === i`). */
  index: number;
  /** The document's content (no `---` marker, no trailing blank lines). */
  range: TextRange;
  /** The plain JS value when the document is a mapping. */
  object?: KubeObject;
  /**
   * Range of the value at `path` (['metadata','name']); for a block mapping or sequence value (['operation'],
   * ['spec']) the key+value pair, since such a value only starts on the line after its key.
   */
  rangeOf(path: ReadonlyArray<string | number>): TextRange | undefined;
  keyRangeOf?(path: ReadonlyArray<string | number>): TextRange | undefined;
  /** From the key's start to the value's end (the item itself for a sequence index). */
  pairRangeOf(path: ReadonlyArray<string | number>): TextRange | undefined;
  /** The document with its `---` marker, up to the next document: what removing the document deletes. */
  extent: TextRange;
  /** The document itself had a syntax error or was refused (its object, if any, may be partial). */
  hasErrors: boolean;
}

export interface ReadProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  range: TextRange;
  documentIndex?: number;
}

/** Codes of the reader's problems (the lint catalogue describes each). */
export const READ_CODES = {
  yamlSyntax: 'BK001',
  yamlWarning: 'BK002',
  notMapping: 'BK003',
  notKubeObject: 'BK004',
  aliasLimit: 'BK005',
  scalarTooLarge: 'BK006',
  tooDeep: 'BK007',
  tooManyDocuments: 'BK008',
  jsonSyntax: 'BK009',
  jsonArray: 'BK010',
  notUtf8: 'BK011',
  goYamlDivergence: 'BK012',
} as const;

export type Locator = (path: ReadonlyArray<string | number>) => NodeSpan | undefined;

export class ParsedDocument implements BackupDocument {
  index = -1;
  object?: KubeObject;
  hasErrors = false;
  private extentStart = 0;
  private extentEnd = 0;
  // Positions are computed when first asked for: a clean lint of a large file asks for few of them.
  private rangeCache?: TextRange;
  private extentCache?: TextRange;

  constructor(
    private readonly rangeStart: number,
    private readonly rangeEnd: number,
    private readonly lines: LineIndex,
    private readonly text: string,
    private readonly locate: Locator | undefined,
    /** Where the document's token starts (its `---` marker, if any): the start of `extent`. */
    readonly tokenStart: number,
  ) {}

  get range(): TextRange {
    return (this.rangeCache ??= this.lines.range(this.rangeStart, this.rangeEnd));
  }

  get extent(): TextRange {
    return (this.extentCache ??= this.lines.range(this.extentStart, this.extentEnd));
  }

  setExtent(start: number, end: number): void {
    this.extentStart = start;
    this.extentEnd = end;
    this.extentCache = undefined;
  }

  rangeOf(path: ReadonlyArray<string | number>): TextRange | undefined {
    const span = this.locate?.(path);
    if (!span) return undefined;
    const v = span.value;
    if (span.key && (!v || v.start === v.end)) return this.lines.range(span.key.start, span.key.end);
    if (!v) return undefined;
    if (v.block && span.key) return this.lines.range(span.key.start, trimEnd(this.text, v.start, v.end));
    return this.lines.range(v.start, trimEnd(this.text, v.start, v.end));
  }

  keyRangeOf(path: ReadonlyArray<string | number>): TextRange | undefined {
    const k = this.locate?.(path)?.key;
    return k ? this.lines.range(k.start, k.end) : undefined;
  }

  pairRangeOf(path: ReadonlyArray<string | number>): TextRange | undefined {
    const span = this.locate?.(path);
    if (!span) return undefined;
    const start = span.key?.start ?? span.value?.start;
    const endRaw = span.value && span.value.end > span.value.start ? span.value.end : span.key?.end;
    if (start === undefined || endRaw === undefined) return undefined;
    return this.lines.range(start, trimEnd(this.text, start, endRaw));
  }
}

export interface Collector {
  text: string;
  lines: LineIndex;
  limits: ReadLimits;
  documents: ParsedDocument[];
  /** Problems with the document they belong to; indexes are filled in once documents are sorted. */
  problems: Array<{ problem: Omit<ReadProblem, 'documentIndex'>; doc?: ParsedDocument }>;
}

export function addProblem(c: Collector, code: string, severity: ReadProblem['severity'], message: string, start: number, end: number, doc?: ParsedDocument): void {
  c.problems.push({ problem: { code, severity, message, range: c.lines.range(start, end) }, ...(doc ? { doc } : {}) });
}

export function describeLimit(c: Collector, found: CstLimitFinding): { code: string; message: string; start: number; end: number } {
  if (found.hugeScalar) {
    const { offset, length } = found.hugeScalar;
    return {
      code: READ_CODES.scalarTooLarge,
      message:
        `a scalar of ${formatBytes(length)} is larger than the limit of ${formatBytes(c.limits.maxScalarBytes)}: ` +
        `no Kubernetes object can hold it (etcd accepts at most 1.5 MiB per object by default); the document is not read`,
      start: offset,
      end: Math.min(offset + 1, c.text.length),
    };
  }
  const at = found.tooDeepAt!;
  return {
    code: READ_CODES.tooDeep,
    message: `collections nest deeper than ${c.limits.maxDepth} levels here; no backup object is that deep, so the document is not read`,
    start: at,
    end: Math.min(at + 1, c.text.length),
  };
}

/**
 * The composed documents of the last few sliceLocators used, shared by all of them. A composed document is ~30x
 * its text; kept per document, the lint of a 5,726-object backup (one range per Application) held ~160 MB of
 * them for as long as the parsed backup lived. Rules read one document at a time, so a few entries suffice.
 */
const RECENT_COMPOSED = 16;
const recentComposed = new Map<object, Document.Parsed>();

/**
 * Locates paths in `text[start, end)`, parsed by the yaml package on first use (a clean file asks for few ranges);
 * offsets come back in the whole text. A JSON value is all flow: no value starts on the line after its key.
 */
export function sliceLocator(text: string, start: number, end: number, format: 'yaml' | 'json'): Locator {
  const owner = {};
  return (path) => {
    let composed = recentComposed.get(owner);
    if (composed) recentComposed.delete(owner);
    else composed = parseDocument(text.slice(start, end), format === 'yaml' ? { merge: true, uniqueKeys: false } : { uniqueKeys: false });
    recentComposed.set(owner, composed); // most recent last
    if (recentComposed.size > RECENT_COMPOSED) recentComposed.delete(recentComposed.keys().next().value!);
    const span = locatePath(composed.contents, path);
    if (!span) return undefined;
    const out: NodeSpan = {};
    if (span.value) out.value = { start: span.value.start + start, end: span.value.end + start, block: format === 'yaml' && span.value.block };
    if (span.key) out.key = { start: span.key.start + start, end: span.key.end + start };
    return out;
  };
}

export function nextStart(sortedStarts: number[], offset: number): number | undefined {
  let lo = 0;
  let hi = sortedStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedStarts[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return sortedStarts[lo];
}

export function firstLineEnd(text: string, range: TextRange): number {
  const nl = text.indexOf('\n', range.startOffset);
  const end = nl < 0 || nl > range.endOffset ? range.endOffset : nl;
  return trimEnd(text, range.startOffset, end);
}

/** A Kubernetes object needs apiVersion, kind and metadata.name; a List is not unpacked by `argocd admin import`. */
export function checkKubeObject(c: Collector, doc: ParsedDocument): void {
  const obj = doc.object!;
  const at = (path: string[]): TextRange => doc.rangeOf(path) ?? c.lines.range(doc.range.startOffset, firstLineEnd(c.text, doc.range));
  const problem = (message: string, range: TextRange): void => {
    doc.hasErrors = true;
    c.problems.push({ problem: { code: READ_CODES.notKubeObject, severity: 'error', message, range }, doc });
  };
  if (typeof obj.kind === 'string' && /List$/.test(obj.kind) && Array.isArray((obj as { items?: unknown }).items)) {
    problem(`a ${obj.kind} is not unpacked on restore (argocd admin import reads one object per document): write its items as separate documents`, at(['kind']));
    return;
  }
  const missing: string[] = [];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') missing.push('apiVersion');
  if (typeof obj.kind !== 'string' || obj.kind === '') missing.push('kind');
  const meta = obj.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) missing.push('metadata.name');
  else if (typeof meta.name !== 'string' || meta.name === '') missing.push('metadata.name');
  if (missing.length === 0) return;
  const where = missing.includes('metadata.name') && doc.rangeOf(['metadata']) ? at(['metadata']) : c.lines.range(doc.range.startOffset, firstLineEnd(c.text, doc.range));
  problem(`not a Kubernetes object: missing ${missing.join(', ')}; a restore cannot create it`, where);
}
