// A backup in YAML: the canonical fast path (a line scanner for the block subset Argo CD writes) and, for anything
// outside it, the yaml package's parser and composer, document by document, with the size and depth limits checked
// on its CST before a document is composed.
import { Composer, isMap, isScalar, Parser, visit, type CST, type Document, type YAMLError } from 'yaml';
import { goYamlDivergence, quoteAdvice } from './goYamlDivergence';
import type { KubeObject } from '../objects/kubeObject';
import { trimEnd } from './textPositions';
import { checkCstDocument, DEFAULT_READ_LIMITS, type CstLimitFinding } from './yamlLimits';
import { locatePath } from './yamlNodeRanges';
import { documentToPlain } from './yamlToPlain';
import { readCanonicalYaml } from './canonicalYaml';
import { addProblem, checkKubeObject, describeLimit, firstLineEnd, nextStart, ParsedDocument, READ_CODES, sliceLocator, type Collector, type Locator } from './backupDocument';

function isEmptyContents(contents: unknown): boolean {
  if (contents === null || contents === undefined) return true;
  return isScalar(contents) && (contents.value === null || contents.value === undefined);
}

/** yaml's message without an excerpt of the source (it may be Secret data). */
function yamlMessage(e: YAMLError): string {
  const first = e.message.split('\n')[0] ?? e.message;
  return first.replace(/: ".*"$/, '').replace(/ at line \d+, column \d+:?$/, '');
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
 * The fast path: text in the canonical block subset is read by a line scanner; ranges inside a document are
 * located on demand by the yaml package, from the document's own text. False when the text is outside the subset.
 */
export function readCanonicalStream(c: Collector): boolean {
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

export function readYamlStream(c: Collector): void {
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
