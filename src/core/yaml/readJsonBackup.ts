// A backup as a JSON stream (objects one after another, as `argocd admin import` accepts, or one top-level array):
// split by one linear scan that checks the limits, then each value parsed on its own.
import type { KubeObject } from '../objects/kubeObject';
import { jsonErrorOffset, jsonErrorReason, scanJsonStream, type JsonValueSpan } from './jsonStream';
import { addProblem, checkKubeObject, describeLimit, ParsedDocument, READ_CODES, sliceLocator, type Collector } from './backupDocument';

export function readJsonStream(c: Collector): void {
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
