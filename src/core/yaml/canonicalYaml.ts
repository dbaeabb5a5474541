// Why hand-made: lint of a 10,000-document backup (5.7 MiB) takes 215 ms with it, 2.8 s with the yaml package alone (npm run bench).
// A fast reader for the block YAML that backups are written in: what `argocd admin export` (Go sigs.k8s.io/yaml),
// kubectl and gitops-dr write, and what people usually do to it by hand (comments, blank lines, other indentation,
// quoted keys). It yields each document's plain value and boundaries, nothing else.
//
// The yaml package stays the reference. This reader gives up (returns undefined) on anything outside that subset or
// anything doubtful: anchors, aliases, tags, flow collections, folded (`>`) scalars, multi-line keys, duplicate
// keys, merge keys, tabs or CRs, limits reached, a document that is not a mapping. Multi-line plain and quoted
// scalars (Go folds long strings over lines) are read. The caller then reads the whole
// text with the yaml package, so errors and their positions always come from there. Ranges inside a document are
// also located with the yaml package, lazily (see readBackup), so they are exactly the yaml package's.
//
// Why it exists: the yaml package composes a full node tree for every document; on a 10,000-document backup that
// costs seconds, while this line scanner takes a few hundred milliseconds. test/unit/yaml/canonicalYaml.test.ts
// checks both give the same values, ranges and document boundaries.
import { goYamlDivergence } from './goYamlDivergence';
import type { ReadLimits } from './yamlLimits';

export interface CanonicalDocument {
  /** Where the yaml package's document token starts: the `---` marker, or the first content of the first document. */
  tokenStart: number;
  /** Start of the line where the document's text starts (after its marker line): a re-parse from here keeps columns. */
  sliceStart: number;
  /** First character of the root mapping. */
  contentStart: number;
  /** End of the last value of the root mapping (trailing comments and blank lines excluded). */
  contentEnd: number;
  /** End of the document's text: the next marker, or the end of the text. */
  end: number;
  value: Record<string, unknown>;
}

export interface CanonicalStream {
  documents: CanonicalDocument[];
  /** Start of every document token, empty documents included (each document's extent ends at the next one). */
  tokenStarts: number[];
}

/** Thrown to give up; caught once at the top. */
class OutsideSubset extends Error {}
const GIVE_UP = new OutsideSubset('outside the canonical subset');

const NL = 10;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const PIPE = 124;

/** Reads `text`, or returns undefined when any part of it is outside the subset. */
export function readCanonicalYaml(text: string, limits: ReadLimits): CanonicalStream | undefined {
  // Carriage returns, tabs, a byte-order mark, directives and document-end markers all go to the yaml package.
  if (text.includes('\r') || text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  if (text.startsWith('%') || text.includes('\n%') || text.startsWith('...') || text.includes('\n...')) return undefined;
  try {
    return new StreamReader(text, limits).read();
  } catch (e) {
    if (e instanceof OutsideSubset || e instanceof RangeError) return undefined; // RangeError: a deep stack, say
    throw e;
  }
}

/** Offsets of the `---` marker lines (a line that is exactly `---`); anything else starting with `---` gives up. */
function markerOffsets(text: string): number[] {
  const out: number[] = [];
  let i = text.startsWith('---') ? 0 : text.indexOf('\n---');
  while (i >= 0) {
    const at = i === 0 && text.startsWith('---') ? 0 : i + 1;
    const after = text.charCodeAt(at + 3);
    if (at + 3 >= text.length || after === NL) out.push(at);
    else throw GIVE_UP; // `--- value`, `--- # comment`, `----`: rare, left to the yaml package
    i = text.indexOf('\n---', at + 3);
  }
  return out;
}

class StreamReader {
  private readonly docs: CanonicalDocument[] = [];
  private readonly tokenStarts: number[] = [];

  constructor(
    private readonly text: string,
    private readonly limits: ReadLimits,
  ) {}

  read(): CanonicalStream {
    const { text } = this;
    const markers = markerOffsets(text);
    // The text before the first marker is a document when it holds content (its token starts at that content).
    this.segment(0, markers[0] ?? text.length, false);
    for (let m = 0; m < markers.length; m++) {
      const at = markers[m]!;
      const nl = text.indexOf('\n', at);
      const sliceStart = nl < 0 ? text.length : nl + 1;
      this.tokenStarts.push(at);
      this.segment(sliceStart, markers[m + 1] ?? text.length, true, at);
    }
    return { documents: this.docs, tokenStarts: this.tokenStarts };
  }

  private segment(start: number, end: number, marked: boolean, markerAt = start): void {
    const doc = new DocumentReader(this.text, start, end, this.limits);
    const first = doc.firstContent();
    if (first < 0) return; // blank lines and comments only: an empty document (or none before the first marker)
    if (!marked) {
      if (doc.col !== 0) throw GIVE_UP; // where yaml starts such a token is not worth guessing
      this.tokenStarts.push(first);
    }
    if (this.docs.length >= this.limits.maxDocuments) throw GIVE_UP;
    const value = doc.readRoot();
    this.docs.push({ tokenStart: marked ? markerAt : first, sliceStart: start, contentStart: first, contentEnd: doc.lastEnd, end, value });
  }
}

class DocumentReader {
  /** Offset of the current content line's first character, or -1 past the end. */
  private pos = -1;
  /** Column of the current content line, or -1 past the end. */
  col = -1;
  /** End of the last value read (for the document's range). */
  lastEnd = 0;
  /** Whether the last value read was left out: the yaml package then counts comments after it as part of it. */
  lastWasAbsent = false;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
    private readonly limits: ReadLimits,
  ) {}

  firstContent(): number {
    this.skipToContent(this.start);
    return this.pos;
  }

  readRoot(): Record<string, unknown> {
    if (!this.startsKey(this.pos)) throw GIVE_UP; // a scalar or sequence document: the yaml package reports it
    const value = this.readNode(this.col, -1);
    if (this.pos >= 0) throw GIVE_UP; // content left over (less indented than the root)
    this.checkTrailingComments();
    return value as Record<string, unknown>;
  }

  /**
   * Comment lines after the last value: the yaml package counts them into the document's range when they are
   * indented, or when the last value was left out. Only comments at column 0 after a value keep the range simple.
   */
  private checkTrailingComments(): void {
    const { text, end } = this;
    let p = this.nextLine(this.lastEnd);
    while (p < end) {
      let q = p;
      while (q < end && text.charCodeAt(q) === SPACE) q++;
      if (q < end && text.charCodeAt(q) === HASH && (q > p || this.lastWasAbsent)) throw GIVE_UP;
      p = this.nextLine(q);
    }
  }

  /** Offset of the line break that ends the line holding `p` (the document's end when there is none). */
  private lineEnd(p: number): number {
    const nl = p < this.end ? this.text.indexOf('\n', p) : -1;
    return nl < 0 || nl >= this.end ? this.end : nl;
  }

  /** Start of the line after the one holding `p` (the document's end when there is none). */
  private nextLine(p: number): number {
    const e = this.lineEnd(p);
    return e < this.end ? e + 1 : this.end;
  }

  /** Moves to the first content character at or after the line starting at `p`; sets pos/col (-1 at the end). */
  private skipToContent(p: number): void {
    const { text, end } = this;
    while (p < end) {
      let q = p;
      while (q < end && text.charCodeAt(q) === SPACE) q++;
      if (q >= end) break;
      const c = text.charCodeAt(q);
      if (c === NL) {
        p = q + 1;
        continue;
      }
      if (c === HASH) {
        p = this.nextLine(q);
        continue;
      }
      this.pos = q;
      this.col = q - p;
      return;
    }
    this.pos = -1;
    this.col = -1;
  }

  /** After a value ending at `q` on the current line: allows spaces and a `# comment`, then moves to the next line. */
  private finishLine(q: number): void {
    const { text, end } = this;
    const valueEnd = q;
    while (q < end && text.charCodeAt(q) === SPACE) q++;
    if (q < end) {
      const c = text.charCodeAt(q);
      if (c === HASH) {
        if (q === valueEnd) throw GIVE_UP; // `#` right after a value is not a comment
        q = this.lineEnd(q);
        this.lastEnd = trimSpacesEnd(text, valueEnd, q); // the yaml package counts a comment on the line as part of it
      } else if (c !== NL) throw GIVE_UP;
    }
    this.skipToContent(q + 1);
  }

  /** A value left out (`key:` or `-` with nothing after it): null, and the last thing read so far. */
  private absent(at: number): null {
    this.lastEnd = at;
    this.lastWasAbsent = true;
    return null;
  }

  private enter(): void {
    if (++this.depth > this.limits.maxDepth) throw GIVE_UP;
  }

  /** A node whose first character is at `pos`, column `col`; `owner` is the column of the key or `-` that owns it. */
  private readNode(col: number, owner: number): unknown {
    const { text } = this;
    const c = text.charCodeAt(this.pos);
    if (c === DASH && this.isIndicator(this.pos + 1)) return this.readSequence(col, false);
    if (this.startsKey(this.pos)) return this.readMapping(col);
    return this.readInlineScalar(owner);
  }

  /** `-`, `:` or `?` followed by a space, a newline or the end. */
  private isIndicator(p: number): boolean {
    return p >= this.end || this.text.charCodeAt(p) === SPACE || this.text.charCodeAt(p) === NL;
  }

  /** Whether the line at `p` starts with a mapping key (`key:` followed by a space, a newline or the end). */
  private startsKey(p: number): boolean {
    const { text, end } = this;
    const c = text.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      const close = c === DQUOTE ? this.doubleQuotedEnd(p) : this.singleQuotedEnd(p);
      return close < end && text.charCodeAt(close) === COLON && this.isIndicator(close + 1);
    }
    if (!plainCanStart(text, p, end)) return false;
    const keyEnd = this.plainKeyEnd(p);
    return keyEnd >= 0;
  }

  /** The `:` that ends a plain key on this line, or -1 (a ` #` comment or the line end first). */
  private plainKeyEnd(p: number): number {
    const { text, end } = this;
    for (let q = p; q < end; q++) {
      const c = text.charCodeAt(q);
      if (c === NL) return -1;
      if (c === COLON && this.isIndicator(q + 1)) return q;
      if (c === HASH && text.charCodeAt(q - 1) === SPACE) return -1;
    }
    return -1;
  }

  private readMapping(col: number): Record<string, unknown> {
    const { text } = this;
    this.enter();
    const out: Record<string, unknown> = {};
    for (;;) {
      // pos: the key's first character, at column col
      const keyStart = this.pos;
      const c = text.charCodeAt(keyStart);
      let key: string;
      let colonAt: number;
      if (c === DQUOTE || c === SQUOTE) {
        const close = c === DQUOTE ? this.doubleQuotedEnd(keyStart) : this.singleQuotedEnd(keyStart);
        if (close >= this.end || text.charCodeAt(close) !== COLON || !this.isIndicator(close + 1)) throw GIVE_UP;
        key = c === DQUOTE ? this.doubleQuotedValue(keyStart, close) : singleQuotedValue(text, keyStart, close);
        colonAt = close;
      } else {
        if (!plainCanStart(text, keyStart, this.end)) throw GIVE_UP;
        colonAt = this.plainKeyEnd(keyStart);
        if (colonAt < 0) throw GIVE_UP;
        const raw = text.slice(keyStart, trimSpacesEnd(text, keyStart, colonAt));
        if (raw === '<<') throw GIVE_UP; // a merge key
        if (goYamlDivergence(raw)) throw GIVE_UP; // the yaml package's read reports it (BK012)
        const resolved = resolvePlain(raw);
        key = resolved === null ? '' : String(resolved);
      }
      this.checkLength(colonAt - keyStart);
      if (Object.prototype.hasOwnProperty.call(out, key)) throw GIVE_UP; // the yaml package reports duplicates
      const value = this.readMappingValue(col, colonAt + 1);
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      if (this.col === col && this.pos >= 0) {
        if (text.charCodeAt(this.pos) === DASH && this.isIndicator(this.pos + 1)) throw GIVE_UP;
        continue;
      }
      if (this.col > col) throw GIVE_UP; // more indented: a multi-line plain scalar, or an error
      this.depth--;
      return out;
    }
  }

  /** Whether the line holds nothing more from `p` on (the end, a line break or a comment). */
  private nothingMoreOnLine(p: number): boolean {
    const c = this.text.charCodeAt(p);
    return p >= this.end || c === NL || c === HASH;
  }

  /**
   * For a value left out (`key:` or `-` with nothing after it): moves to the next content line and returns where
   * the value ends, the yaml package counting a comment on the line as part of it.
   */
  private leaveLine(p: number): number {
    const { text, end } = this;
    const comment = p < end && text.charCodeAt(p) === HASH;
    if (comment && text.charCodeAt(p - 1) !== SPACE) throw GIVE_UP; // `#` glued to something is no comment
    const lineEnd = this.lineEnd(p);
    this.skipToContent(lineEnd < end ? lineEnd + 1 : end);
    return comment ? trimSpacesEnd(text, p, lineEnd) : p;
  }

  /** The value after a key's `:` at `p`; leaves pos/col at the next content line. */
  private readMappingValue(col: number, p: number): unknown {
    const { text, end } = this;
    while (p < end && text.charCodeAt(p) === SPACE) p++;
    if (this.nothingMoreOnLine(p)) {
      const mark = this.leaveLine(p);
      if (this.pos < 0 || this.col < col) return this.absent(mark);
      if (this.col > col) return this.readNode(this.col, col);
      // Same column: an indentless sequence belongs to this key; anything else is the next key.
      if (text.charCodeAt(this.pos) === DASH && this.isIndicator(this.pos + 1)) return this.readSequence(col, true);
      return this.absent(mark);
    }
    this.pos = p;
    return this.readInlineScalar(col);
  }

  private readSequence(col: number, indentless: boolean): unknown[] {
    const { text, end } = this;
    this.enter();
    const out: unknown[] = [];
    for (;;) {
      // pos: the `-` at column col
      let p = this.pos + 1;
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      if (this.nothingMoreOnLine(p)) {
        const mark = this.leaveLine(p);
        if (this.pos >= 0 && this.col > col) out.push(this.readNode(this.col, col));
        else out.push(this.absent(mark));
      } else {
        const lineStart = this.pos - col;
        this.pos = p;
        this.col = p - lineStart;
        out.push(this.readNode(this.col, col));
      }
      if (this.pos >= 0 && this.col === col && text.charCodeAt(this.pos) === DASH && this.isIndicator(this.pos + 1)) continue;
      if (this.pos >= 0 && this.col > col) throw GIVE_UP;
      if (this.pos >= 0 && this.col === col && !indentless) throw GIVE_UP; // a key where an item should be
      this.depth--;
      return out;
    }
  }

  /** A scalar starting at pos on the current line; `owner` is the owning key's or `-`'s column. */
  private readInlineScalar(owner: number): unknown {
    const { text, end } = this;
    const p = this.pos;
    const c = text.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      const close = c === DQUOTE ? this.doubleQuotedEnd(p, owner) : this.singleQuotedEnd(p, owner);
      if (close > end) throw GIVE_UP;
      this.checkLength(close - p);
      const value = c === DQUOTE ? this.doubleQuotedValue(p, close) : singleQuotedValue(text, p, close);
      this.lastEnd = close;
      this.lastWasAbsent = false;
      this.finishLine(close);
      return value;
    }
    if (c === PIPE) return this.readLiteral(owner);
    if ((c === 123 || c === 91) && text.charCodeAt(p + 1) === (c === 123 ? 125 : 93)) {
      // `{}` and `[]`, which Go writes for empty maps and lists
      this.lastEnd = p + 2;
      this.lastWasAbsent = false;
      this.finishLine(p + 2);
      return c === 123 ? {} : [];
    }
    if (!plainCanStart(text, p, end)) throw GIVE_UP;
    // A plain scalar: up to a ` #` comment or the line end; `: ` inside would be a nested mapping (an error here).
    let q = p;
    for (; q < end; q++) {
      const ch = text.charCodeAt(q);
      if (ch === NL) break;
      if (ch === HASH && text.charCodeAt(q - 1) === SPACE) break;
      if (ch === COLON && this.isIndicator(q + 1)) throw GIVE_UP;
    }
    const valueEnd = trimSpacesEnd(text, p, q);
    this.checkLength(valueEnd - p);
    this.lastEnd = valueEnd;
    this.lastWasAbsent = false;
    const raw = text.slice(p, valueEnd);
    if (q < end && text.charCodeAt(q) === HASH) {
      this.finishLine(valueEnd); // a comment ends the scalar
      return resolvePlainAsGo(raw);
    }
    return resolvePlainAsGo(this.continuePlain(raw, q, owner, p));
  }

  /**
   * A plain scalar may go on over lines indented deeper than `owner` (Go folds long strings so); they fold into one
   * line as YAML says: a line break is a space, n + 1 line breaks are n. Leaves pos/col at the next content line.
   */
  private continuePlain(first: string, lineEnd: number, owner: number, start: number): string {
    const { text, end } = this;
    let value = first;
    let p = lineEnd + 1; // start of the line after the last one read
    let blanks = 0;
    let resumeAt = p;
    while (p < end) {
      let q = p;
      while (q < end && text.charCodeAt(q) === SPACE) q++;
      if (q >= end) break;
      const c = text.charCodeAt(q);
      if (c === NL) {
        blanks++;
        p = q + 1;
        continue;
      }
      if (c === HASH) break; // a comment ends it (skipped below)
      if (q - p <= owner) {
        // A less indented line ends it, and is the next content line: no need to scan it again.
        this.pos = q;
        this.col = q - p;
        return value;
      }
      const lineStop = this.lineEnd(q);
      const contentEnd = trimSpacesEnd(text, q, lineStop);
      const line = text.slice(q, contentEnd);
      // Anything that could read as a key, a comment or an indicator is left to the yaml package.
      if (INDICATOR_START.includes(line[0]!) || line.includes(': ') || line.includes(' #') || line.endsWith(':')) throw GIVE_UP;
      value += (blanks > 0 ? '\n'.repeat(blanks) : ' ') + line;
      blanks = 0;
      this.lastEnd = contentEnd;
      this.checkLength(contentEnd - start);
      p = lineStop + 1;
      resumeAt = p;
    }
    this.skipToContent(resumeAt > end ? end : resumeAt);
    return value;
  }

  /** Gives up well before the limit, so the yaml package, which measures a little differently, reports it. */
  private checkLength(n: number): void {
    if (n + 1024 >= this.limits.maxScalarBytes) throw GIVE_UP;
  }

  /**
   * Offset just past the closing `"` (beyond `end` when there is none). A key's quotes must close on the same line;
   * a value's may close on a later line, when every line in between is indented deeper than `owner`.
   */
  private doubleQuotedEnd(p: number, owner = -2): number {
    const { text, end } = this;
    for (let q = p + 1; q < end; q++) {
      const c = text.charCodeAt(q);
      if (c === BACKSLASH) q++;
      else if (c === DQUOTE) return q + 1;
      else if (c === NL && !this.continuationIndented(q + 1, owner)) return end + 1;
    }
    return end + 1;
  }

  private singleQuotedEnd(p: number, owner = -2): number {
    const { text, end } = this;
    for (let q = p + 1; q < end; q++) {
      const c = text.charCodeAt(q);
      if (c === SQUOTE) {
        if (text.charCodeAt(q + 1) === SQUOTE) q++;
        else return q + 1;
      } else if (c === NL && !this.continuationIndented(q + 1, owner)) return end + 1;
    }
    return end + 1;
  }

  /** Whether the line starting at `lineStart` may continue a multi-line quoted value (-2: never). */
  private continuationIndented(lineStart: number, owner: number): boolean {
    if (owner < -1) return false;
    const { text, end } = this;
    let q = lineStart;
    while (q < end && text.charCodeAt(q) === SPACE) q++;
    if (q >= end) return false; // the quote never closes in this document
    return text.charCodeAt(q) === NL || q - lineStart > owner;
  }

  /** The value of a double-quoted scalar from `p` (its opening quote) to `close` (past its closing quote). */
  private doubleQuotedValue(p: number, close: number): string {
    const inner = this.text.slice(p + 1, close - 1);
    if (!inner.includes('\\') && !inner.includes('\n')) return inner;
    let out = '';
    for (let i = 0; i < inner.length; i++) {
      const ch = inner[i]!;
      if (ch === '\n') {
        // A line break folds: one becomes a space, n + 1 become n line breaks; the next line's indentation goes.
        let breaks = 0;
        while (i < inner.length && (inner[i] === '\n' || inner[i] === ' ')) {
          if (inner[i] === '\n') breaks++;
          i++;
        }
        i--;
        out += breaks > 1 ? '\n'.repeat(breaks - 1) : ' ';
        continue;
      }
      if (ch === ' ') {
        // Spaces before a line break are dropped.
        let j = i;
        while (inner[j] === ' ') j++;
        if (inner[j] === '\n') {
          i = j - 1;
          continue;
        }
        out += inner.slice(i, j);
        i = j - 1;
        continue;
      }
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = inner[++i];
      if (next === undefined) throw GIVE_UP;
      if (next === '\n') {
        // An escaped line break joins the lines without a space; the next line's indentation goes.
        while (inner[i + 1] === ' ') i++;
        continue;
      }
      const simple = ESCAPES[next];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const length = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      if (length === 0) throw GIVE_UP; // an invalid escape: the yaml package reports it
      const hex = inner.substr(i + 1, length);
      if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) throw GIVE_UP;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw GIVE_UP;
      out += String.fromCodePoint(code);
      i += length;
    }
    return out;
  }

  /** A literal block scalar (`|`, `|-`, `|+`) whose header is at pos. */
  private readLiteral(owner: number): string {
    const { text, end } = this;
    let p = this.pos + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    // Indicators in either order: chomping (`-` strip, `+` keep) and an explicit indentation (`|2-`, which Go writes
    // when the text starts with a space): the content is then indented that much deeper than the key or `-`.
    let explicit = 0;
    for (let k = 0; k < 2; k++) {
      const h = text.charCodeAt(p);
      if ((h === DASH || h === 43) /* + */ && chomp === 'clip') {
        chomp = h === DASH ? 'strip' : 'keep';
        p++;
      } else if (h >= 49 && h <= 57 && explicit === 0) {
        explicit = h - 48;
        p++;
      }
    }
    if (explicit > 0) {
      // Only where the indicator sits on its key's (or `-`'s) line is its base column plain.
      const lineStart = text.lastIndexOf('\n', this.pos - 1) + 1;
      if (text.slice(lineStart, this.pos).trim() === '' || owner < 0) throw GIVE_UP;
    }
    // Folded style and the like go to the yaml package.
    const after = text.charCodeAt(p);
    if (p < end && after !== NL && after !== SPACE) throw GIVE_UP;
    while (p < end && text.charCodeAt(p) === SPACE) p++;
    if (p < end && text.charCodeAt(p) === HASH) {
      if (text.charCodeAt(p - 1) !== SPACE) throw GIVE_UP;
      p = this.lineEnd(p);
    }
    if (p < end && text.charCodeAt(p) !== NL) throw GIVE_UP;
    this.lastEnd = p;
    let lineStart = p + 1;
    // Leading empty lines, then the first non-empty line sets the indentation (unless it was given).
    let indent = explicit > 0 ? owner + explicit : -1;
    let sawContent = false;
    const lines: string[] = [];
    let trailingEmpty = 0;
    let lastContentEnd = -1;
    let contentLength = 0;
    while (lineStart < end) {
      let q = lineStart;
      while (q < end && text.charCodeAt(q) === SPACE) q++;
      const spaces = q - lineStart;
      const atLineEnd = q >= end || text.charCodeAt(q) === NL;
      if (q >= end) {
        // Spaces and no line break at the very end: not a line, unless deeper than the indentation (content?).
        if (spaces > 0 && (indent < 0 || spaces > indent)) throw GIVE_UP;
        break;
      }
      if (atLineEnd) {
        // An empty line; one with more spaces than the indentation is content the yaml package may read otherwise.
        if (indent < 0 ? spaces > 0 : spaces > indent) throw GIVE_UP;
        trailingEmpty++;
        lineStart = q + 1;
        continue;
      }
      if (indent < 0) {
        if (spaces <= owner) throw GIVE_UP; // an empty block scalar: rare, left to the yaml package
        indent = spaces;
      } else if (spaces < indent) break;
      sawContent = true;
      for (let e = 0; e < trailingEmpty; e++) lines.push('');
      trailingEmpty = 0;
      const lineEnd = this.lineEnd(q);
      lines.push(text.slice(lineStart + indent, lineEnd));
      contentLength += lineEnd - lineStart;
      lastContentEnd = lineEnd;
      lineStart = lineEnd + 1;
    }
    if (!sawContent) throw GIVE_UP; // an empty block scalar
    this.checkLength(contentLength);
    this.lastEnd = lastContentEnd;
    this.lastWasAbsent = false;
    let value = lines.join('\n');
    if (chomp === 'clip') value += '\n';
    else if (chomp === 'keep') value += '\n'.repeat(1 + trailingEmpty);
    this.skipToContent(lineStart);
    return value;
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

function singleQuotedValue(text: string, p: number, close: number): string {
  let inner = text.slice(p + 1, close - 1);
  if (inner.includes('\n')) inner = foldQuotedLines(inner);
  return inner.includes("''") ? inner.replace(/''/g, "'") : inner;
}

/**
 * Line folding of a multi-line single-quoted scalar: the first line loses its trailing spaces, the others their
 * indentation and trailing spaces (the last one only its indentation); one line break is a space, n + 1 are n.
 */
function foldQuotedLines(inner: string): string {
  const lines = inner.split('\n');
  let out = lines[0]!.replace(/ +$/, '');
  let blanks = 0;
  for (let i = 1; i < lines.length; i++) {
    const last = i === lines.length - 1;
    const line = last ? lines[i]!.replace(/^ +/, '') : lines[i]!.replace(/^ +| +$/g, '');
    if (line === '' && !last) {
      blanks++;
      continue;
    }
    out += (blanks > 0 ? '\n'.repeat(blanks) : ' ') + line;
    blanks = 0;
  }
  return out;
}

const INDICATOR_START = '-?:,[]{}#&*!|>\'"%@`';

function trimSpacesEnd(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  return end;
}

/** Whether a plain scalar may start at `p` (indicators that start something else, or are reserved, give up). */
function plainCanStart(text: string, p: number, end: number): boolean {
  if (p >= end) return false;
  const c = text[p]!;
  if ('[]{},#&*!|>\'"%@`'.includes(c)) return false;
  if (c === '-' || c === '?' || c === ':') {
    const n = text.charCodeAt(p + 1);
    return p + 1 < end && n !== SPACE && n !== NL;
  }
  return c !== ' ' && c !== '\n';
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar Argo CD's Go reader resolves as the yaml package does; else the slow path reads (and reports) it. */
function resolvePlainAsGo(s: string): unknown {
  if (goYamlDivergence(s)) throw GIVE_UP;
  return resolvePlain(s);
}

/** A plain scalar's value under the YAML 1.2 core schema, as the yaml package resolves it. */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Most values (names, URLs, base64) start with a letter that no null, bool or number starts with.
  const maybeSpecial = s.length === 0 || c === 126 || c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57) || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70;
  if (!maybeSpecial) return s;
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return c === 116 || c === 84;
  if (OCT_RE.test(s)) return parseInt(s.slice(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (HEX_RE.test(s)) return parseInt(s.slice(2), 16);
  if (NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}
