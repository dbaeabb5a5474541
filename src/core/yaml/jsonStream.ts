// Splits a JSON stream (objects one after another, as `argocd admin import` accepts) into its top-level values
// with one linear scan, checking nesting depth and string length before anything is parsed.
import type { ReadLimits } from './yamlLimits';

export interface JsonValueSpan {
  start: number;
  end: number;
  /** For a top-level array: the spans of its elements. */
  elements?: Array<{ start: number; end: number }>;
  tooDeepAt?: number;
  hugeString?: { offset: number; length: number };
}

export interface JsonScanError {
  offset: number;
  endOffset: number;
  message: string;
}

export interface JsonStreamScan {
  values: JsonValueSpan[];
  error?: JsonScanError;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}

/** True when the first significant character opens a JSON object or array. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    return c === 123 /* { */ || c === 91 /* [ */;
  }
  return false;
}

export function scanJsonStream(text: string, limits: ReadLimits): JsonStreamScan {
  const values: JsonValueSpan[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c !== 123 && c !== 91) {
      return { values, error: { offset: i, endOffset: i + 1, message: 'expected a JSON object ("{") here; a JSON stream holds objects one after another' } };
    }
    if (values.length >= limits.maxDocuments) {
      values.push({ start: i, end: i }); // the caller reports the limit at this value
      return { values };
    }
    const span: JsonValueSpan = { start: i, end: i };
    const topIsArray = c === 91;
    if (topIsArray) span.elements = [];
    const closers: number[] = [];
    let elementStart = -1;
    let j = i;
    let closed = false;
    while (j < n) {
      const ch = text.charCodeAt(j);
      if (ch === 34 /* " */) {
        const strStart = j;
        if (topIsArray && closers.length === 1 && elementStart < 0) elementStart = j;
        j++;
        while (j < n) {
          const s = text.charCodeAt(j);
          if (s === 92 /* \ */) j += 2;
          else if (s === 34) break;
          else if (s === 10) return { values, error: { offset: strStart, endOffset: j, message: 'unterminated JSON string (a line break inside a string)' } };
          else j++;
        }
        if (j >= n) return { values, error: { offset: strStart, endOffset: n, message: 'unterminated JSON string' } };
        const length = j - strStart - 1;
        if (length > limits.maxScalarBytes && span.hugeString === undefined) span.hugeString = { offset: strStart, length };
        j++;
        continue;
      }
      if (ch === 123 || ch === 91) {
        if (topIsArray && closers.length === 1 && elementStart < 0) elementStart = j;
        closers.push(ch === 123 ? 125 : 93);
        if (closers.length > limits.maxDepth && span.tooDeepAt === undefined) span.tooDeepAt = j;
        j++;
        continue;
      }
      if (ch === 125 || ch === 93) {
        const want = closers.pop();
        if (want !== ch) {
          const expected = want === undefined ? 'nothing' : `"${String.fromCharCode(want)}"`;
          return { values, error: { offset: j, endOffset: j + 1, message: `unexpected "${String.fromCharCode(ch)}" in JSON: expected ${expected}` } };
        }
        if (closers.length === 0) {
          if (topIsArray && elementStart >= 0) span.elements!.push({ start: elementStart, end: trimmedEnd(text, elementStart, j) });
          j++;
          closed = true;
          break;
        }
        j++;
        continue;
      }
      if (topIsArray && closers.length === 1) {
        if (ch === 44 /* , */) {
          if (elementStart >= 0) span.elements!.push({ start: elementStart, end: trimmedEnd(text, elementStart, j) });
          elementStart = -1;
        } else if (!isSpace(ch) && elementStart < 0) elementStart = j;
      }
      j++;
    }
    if (!closed) {
      return { values, error: { offset: i, endOffset: Math.min(i + 1, n), message: `JSON ${topIsArray ? 'array' : 'object'} is never closed (missing "${topIsArray ? ']' : '}'}")` } };
    }
    span.end = j;
    values.push(span);
    i = j;
  }
  return { values };
}

function trimmedEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isSpace(text.charCodeAt(e - 1))) e--;
  return e;
}

/** JSON.parse's error position (V8 says "at position N"), relative to the parsed slice. */
export function jsonErrorOffset(e: unknown): number | undefined {
  const m = /position (\d+)/.exec((e as Error)?.message ?? '');
  return m ? Number(m[1]) : undefined;
}

/** JSON.parse's message without any quoted excerpt of the input (it may hold Secret data). */
export function jsonErrorReason(e: unknown): string {
  const msg = String((e as Error)?.message ?? 'invalid JSON');
  return msg
    .replace(/,? ?"[\s\S]*" is not valid JSON/, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)/, '')
    .trim();
}
