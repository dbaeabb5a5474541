// The positioned backup reader: one parse of a multi-document YAML file (or a JSON stream) into plain objects, with
// the exact source range of every document and field and a problem, with a range, for anything unreadable or hostile.
// Restore refuses to plan when `problems` holds an error; the linter reports problems beside its own findings.
import { Composer, isMap, isScalar, Parser, parseDocument, visit, type CST, type Document, type YAMLError } from 'yaml';
import { goYamlDivergence, quoteAdvice } from './goYamlDivergence';
import type { KubeObject } from '../objects/kubeObject';
import { jsonErrorOffset, jsonErrorReason, looksLikeJson, scanJsonStream, type JsonValueSpan } from './jsonStream';
import { LineIndex, trimEnd, type Position, type TextRange } from './textPositions';
import { checkCstDocument, DEFAULT_READ_LIMITS, formatBytes, type CstLimitFinding, type ReadLimits } from './yamlLimits';
import { locatePath, type NodeSpan } from './yamlNodeRanges';
import { documentToPlain } from './yamlToPlain';
import { readCanonicalYaml } from './canonicalYaml';
import { decodeBackupBytes } from './utf8';

export type { Position, TextRange } from './textPositions';
export { LineIndex } from './textPositions';
export { DEFAULT_READ_LIMITS, ETCD_MAX_REQUEST_BYTES, type ReadLimits } from './yamlLimits';

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

type Locator = (path: ReadonlyArray<string | number>) => NodeSpan | undefined;

class ParsedDocument implements BackupDocument {
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

interface Collector {
  text: string;
  lines: LineIndex;
  limits: ReadLimits;
  documents: ParsedDocument[];
  /** Problems with the document they belong to; indexes are filled in once documents are sorted. */
  problems: Array<{ problem: Omit<ReadProblem, 'documentIndex'>; doc?: ParsedDocument }>;
}

function addProblem(c: Collector, code: string, severity: ReadProblem['severity'], message: string, start: number, end: number, doc?: ParsedDocument): void {
  c.problems.push({ problem: { code, severity, message, range: c.lines.range(start, end) }, ...(doc ? { doc } : {}) });
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

// ---------------------------------------------------------------------------------------------------- YAML

function isEmptyContents(contents: unknown): boolean {
  if (contents === null || contents === undefined) return true;
  return isScalar(contents) && (contents.value === null || contents.value === undefined);
}

/** yaml's message without an excerpt of the source (it may be Secret data). */
function yamlMessage(e: YAMLError): string {
  const first = e.message.split('\n')[0] ?? e.message;
  return first.replace(/: ".*"$/, '').replace(/ at line \d+, column \d+:?$/, '');
}

function describeLimit(c: Collector, found: CstLimitFinding): { code: string; message: string; start: number; end: number } {
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

/** First non-blank offset after the document's `---` marker (or the token start when it has none). */
function contentStartOfToken(text: string, token: CST.Document, end: number): number {
  let i = token.offset;
  for (const t of token.start) if (t.type === 'doc-start') i = t.offset + t.source.length;
  while (i < end) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13) i++;
    else break;
  }
  return i;
}

/**
 * Locates paths in `text[start, end)`, parsed by the yaml package on first use (a clean file asks for few ranges);
 * offsets come back in the whole text. A JSON value is all flow: no value starts on the line after its key.
 */
/**
 * The composed documents of the last few sliceLocators used, shared by all of them. A composed document is ~30x
 * its text; kept per document, the lint of a 5,726-object backup (one range per Application) held ~160 MB of
 * them for as long as the parsed backup lived. Rules read one document at a time, so a few entries suffice.
 */
const RECENT_COMPOSED = 16;
const recentComposed = new Map<object, Document.Parsed>();

function sliceLocator(text: string, start: number, end: number, format: 'yaml' | 'json'): Locator {
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

/**
 * The fast path: text in the canonical block subset is read by a line scanner; ranges inside a document are
 * located on demand by the yaml package, from the document's own text. False when the text is outside the subset.
 */
function readCanonicalStream(c: Collector): boolean {
  const stream = readCanonicalYaml(c.text, c.limits);
  if (!stream) return false;
  const { text, lines } = c;
  for (const d of stream.documents) {
    const locate = sliceLocator(text, d.sliceStart, d.end, 'yaml');
    const pd = new ParsedDocument(d.contentStart, trimEnd(text, d.contentStart, d.contentEnd), lines, text, locate, d.tokenStart);
    pd.setExtent(d.tokenStart, nextStart(stream.tokenStarts, d.tokenStart) ?? text.length);
    pd.object = d.value as KubeObject;
    c.documents.push(pd);
    checkKubeObject(c, pd);
  }
  return true;
}

function readYamlStream(c: Collector): void {
  const { text, lines, limits } = c;
  const parser = new Parser();
  const composer = new Composer({ merge: true, uniqueKeys: true });
  /** Start offsets of every document token, empty ones included: each document's extent ends at the next. */
  const tokenStarts: number[] = [];
  const fed: Array<CST.Document | undefined> = [];
  let composedCount = 0;
  const refused: Array<{ token: CST.Document; found: CstLimitFinding }> = [];
  let skipDocEnd = false;
  let documentTokens = 0;

  const onComposed = (doc: Document.Parsed): void => {
    const token = fed[composedCount]!;
    // Drop the CST as soon as its document is composed: holding every token to the end costs more in GC than
    // the whole conversion does.
    fed[composedCount++] = undefined;
    composeOne(c, doc, token);
  };

  for (const token of parser.parse(text)) {
    if (token.type === 'document') {
      if (documentTokens >= limits.maxDocuments) {
        const lineEnd = text.indexOf('\n', token.offset);
        addProblem(c, READ_CODES.tooManyDocuments, 'error', `more than ${limits.maxDocuments} documents: the rest of the file is not read`, token.offset, trimEnd(text, token.offset, lineEnd < 0 ? text.length : lineEnd));
        tokenStarts.push(token.offset);
        break;
      }
      documentTokens++;
      tokenStarts.push(token.offset);
      const found = checkCstDocument(token, limits);
      if (found.tooDeepAt !== undefined || found.hugeScalar) {
        refused.push({ token, found });
        skipDocEnd = true;
        continue;
      }
      skipDocEnd = false;
      fed.push(token);
    } else if (token.type === 'doc-end' && skipDocEnd) {
      continue;
    }
    for (const doc of composer.next(token)) onComposed(doc);
  }
  for (const doc of composer.end()) onComposed(doc);
  for (const e of composer.streamInfo().errors) addProblem(c, READ_CODES.yamlSyntax, 'error', `YAML syntax error: ${yamlMessage(e)}`, e.pos[0], e.pos[1]);

  for (const { token, found } of refused) {
    const end = tokenStarts.find((s) => s > token.offset) ?? text.length;
    const start = contentStartOfToken(text, token, end);
    const doc = new ParsedDocument(start, trimEnd(text, start, end), lines, text, undefined, token.offset);
    doc.hasErrors = true;
    c.documents.push(doc);
    const d = describeLimit(c, found);
    addProblem(c, d.code, 'error', d.message, d.start, d.end, doc);
  }

  // Extents: from a document's token start to the next document token (empty documents included).
  for (const doc of c.documents) {
    const next = nextStart(tokenStarts, doc.tokenStart) ?? text.length;
    doc.setExtent(doc.tokenStart, next);
  }
}

function nextStart(sortedStarts: number[], offset: number): number | undefined {
  let lo = 0;
  let hi = sortedStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedStarts[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return sortedStarts[lo];
}

function composeOne(c: Collector, doc: Document.Parsed, token: CST.Document): void {
  const { text, lines } = c;
  const contents = doc.contents;
  const empty = isEmptyContents(contents);
  let pd: ParsedDocument | undefined;
  if (!empty) {
    const r = (contents as { range?: [number, number, number] }).range ?? [token.offset, token.offset, token.offset];
    const locate: Locator = (path) => locatePath(contents, path);
    pd = new ParsedDocument(r[0], trimEnd(text, r[0], r[1]), lines, text, locate, token.offset);
    c.documents.push(pd);
  }
  for (const e of doc.errors) addProblem(c, READ_CODES.yamlSyntax, 'error', `YAML syntax error: ${yamlMessage(e)}`, e.pos[0], e.pos[1], pd);
  for (const w of doc.warnings) addProblem(c, READ_CODES.yamlWarning, 'warning', `YAML: ${yamlMessage(w)}`, w.pos[0], w.pos[1], pd);
  if (!pd) return;
  if (doc.errors.length > 0) pd.hasErrors = true;
  if (!isMap(contents)) {
    pd.hasErrors = true;
    addProblem(c, READ_CODES.notMapping, 'error', `document is ${describeNode(contents)}, not a Kubernetes object (a mapping with apiVersion, kind and metadata.name)`, pd.range.startOffset, firstLineEnd(text, pd.range), pd);
    return;
  }
  let value: unknown;
  try {
    value = documentToPlain(doc, c.limits.maxAliases);
  } catch (e) {
    pd.hasErrors = true;
    const at = firstAliasOffset(token) ?? pd.range.startOffset;
    if (e instanceof ReferenceError) {
      addProblem(c, READ_CODES.aliasLimit, 'error', `aliases expand beyond the limit of ${c.limits.maxAliases} (an alias bomb?): the document is not read`, at, at + 1, pd);
    } else if (e instanceof RangeError) {
      addProblem(c, READ_CODES.tooDeep, 'error', 'collections nest too deeply to read: the document is not read', pd.range.startOffset, firstLineEnd(text, pd.range), pd);
    } else {
      addProblem(c, READ_CODES.yamlSyntax, 'error', `cannot read the document: ${(e as Error).message}`, pd.range.startOffset, firstLineEnd(text, pd.range), pd);
    }
    return;
  }
  pd.object = value as KubeObject;
  checkGoYamlScalars(c, doc, pd);
  checkKubeObject(c, pd);
}

/** Plain scalars Argo CD's Go reader resolves to other values (BK012): refused, never restored as something else. */
function checkGoYamlScalars(c: Collector, doc: Document.Parsed, pd: ParsedDocument): void {
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== 'PLAIN' || typeof node.source !== 'string' || !node.range) return;
      const why = goYamlDivergence(node.source);
      if (why) addProblem(c, READ_CODES.goYamlDivergence, 'error', `${why}: ${quoteAdvice(node.source)}`, node.range[0], node.range[1], pd);
    },
  });
}

function firstAliasOffset(token: CST.Document): number | undefined {
  return checkCstDocument(token, { ...DEFAULT_READ_LIMITS, maxDepth: Number.MAX_SAFE_INTEGER, maxScalarBytes: Number.MAX_SAFE_INTEGER }).firstAliasAt;
}

function describeNode(node: unknown): string {
  if (isScalar(node)) return `a scalar (${typeof node.value})`;
  if (node && typeof node === 'object' && 'items' in node) return 'a sequence';
  return 'not a mapping';
}

function firstLineEnd(text: string, range: TextRange): number {
  const nl = text.indexOf('\n', range.startOffset);
  const end = nl < 0 || nl > range.endOffset ? range.endOffset : nl;
  return trimEnd(text, range.startOffset, end);
}

/** A Kubernetes object needs apiVersion, kind and metadata.name; a List is not unpacked by `argocd admin import`. */
function checkKubeObject(c: Collector, doc: ParsedDocument): void {
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

// ---------------------------------------------------------------------------------------------------- JSON

function readJsonStream(c: Collector): void {
  const { text, lines, limits } = c;
  const scan = scanJsonStream(text, limits);
  const spans: Array<{ start: number; end: number; parent: JsonValueSpan }> = [];
  for (const v of scan.values) {
    if (v.elements) {
      addProblem(c, READ_CODES.jsonArray, 'warning', 'a JSON array of objects: gitops-dr reads its items, but argocd admin import does not accept an array (write the objects one after another)', v.start, v.start + 1);
      for (const e of v.elements) spans.push({ ...e, parent: v });
    } else spans.push({ start: v.start, end: v.end, parent: v });
  }
  if (scan.error) addProblem(c, READ_CODES.jsonSyntax, 'error', `JSON syntax error: ${scan.error.message}`, scan.error.offset, scan.error.endOffset);

  const starts = spans.map((s) => s.start);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    const extentEnd = starts[i + 1] ?? text.length;
    if (i >= limits.maxDocuments) {
      addProblem(c, READ_CODES.tooManyDocuments, 'error', `more than ${limits.maxDocuments} documents: the rest of the file is not read`, s.start, s.start + 1);
      break;
    }
    const slice = text.slice(s.start, s.end);
    const locate = sliceLocator(text, s.start, s.end, 'json');
    const doc = new ParsedDocument(s.start, s.end, lines, text, locate, s.start);
    doc.setExtent(s.start, extentEnd);
    c.documents.push(doc);
    const hostile = s.parent.elements ? elementLimits(s, s.parent) : s.parent;
    if (hostile.tooDeepAt !== undefined || hostile.hugeString) {
      doc.hasErrors = true;
      const d = describeLimit(c, { ...(hostile.tooDeepAt !== undefined ? { tooDeepAt: hostile.tooDeepAt } : {}), ...(hostile.hugeString ? { hugeScalar: hostile.hugeString } : {}) });
      addProblem(c, d.code, 'error', d.message, d.start, d.end, doc);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(slice);
    } catch (e) {
      doc.hasErrors = true;
      const at = s.start + (jsonErrorOffset(e) ?? 0);
      addProblem(c, READ_CODES.jsonSyntax, 'error', `JSON syntax error: ${jsonErrorReason(e)}`, at, Math.min(at + 1, s.end), doc);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      doc.hasErrors = true;
      addProblem(c, READ_CODES.notMapping, 'error', `document is ${Array.isArray(value) ? 'an array' : `a ${value === null ? 'null' : typeof value}`}, not a Kubernetes object (an object with apiVersion, kind and metadata.name)`, s.start, Math.min(s.start + 1, s.end), doc);
      continue;
    }
    doc.object = value as KubeObject;
    checkKubeObject(c, doc);
  }
}

/** Limits found inside one element of a top-level array. */
function elementLimits(el: { start: number; end: number }, parent: JsonValueSpan): Pick<JsonValueSpan, 'tooDeepAt' | 'hugeString'> {
  const inside = (o: number | undefined) => o !== undefined && o >= el.start && o < el.end;
  return {
    ...(inside(parent.tooDeepAt) ? { tooDeepAt: parent.tooDeepAt } : {}),
    ...(parent.hugeString && inside(parent.hugeString.offset) ? { hugeString: parent.hugeString } : {}),
  };
}

/** 1-based `line:col` of a position, as compilers print it. */
export function formatPosition(p: Position): string {
  return `${p.line + 1}:${p.character + 1}`;
}
