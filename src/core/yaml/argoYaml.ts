// Why hand-made: the yaml package's stringify writes 22 of the 36 go-yaml golden cases (test/unit/yaml/argoYaml.test.ts) otherwise; the parity tier proves this writer byte-identical to argocd admin export.
// The YAML text `argocd admin export` writes for one object: Go's sigs.k8s.io/yaml (JSON -> go-yaml v2 Marshal).
// Written from the observable rules of go-yaml v2's encoder and emitter, so that a backup made here is byte-for-byte
// what Argo CD would have written:
//   - keys in go-yaml's natural order (goKeyOrder.ts); two-space indent; block sequences not indented under their key;
//   - `{}` / `[]` for empty maps and lists;
//   - strings plain when they read back as the same string, else single-quoted when an indicator or a space forbids
//     plain, else double-quoted with escapes; multi-line strings as literal blocks (`|`, `|-`, `|+`, indent hint);
//   - long plain and quoted strings folded at spaces past column 80, as go-yaml v2 does by default;
//   - keys longer than 128 bytes written as complex keys (`? key` / `: value`).
import { codePoints, goKeyLess, compareGoKeys } from './goKeyOrder';
import { formatGoNumber, isBase60Float, resolvesAsNonString } from './goScalars';

/** The line width past which go-yaml v2 folds long scalars at a space. */
const BEST_WIDTH = 80;
const BEST_INDENT = 2;
/** Longest key (in UTF-8 bytes) go-yaml writes as a simple `key: value`. */
const MAX_SIMPLE_KEY_BYTES = 128;

type Style = 'plain' | 'single' | 'double' | 'literal';

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

interface NodeContext {
  mapping: boolean;
  simpleKey: boolean;
}

const VALUE_CONTEXT: NodeContext = { mapping: true, simpleKey: false };
const ITEM_CONTEXT: NodeContext = { mapping: false, simpleKey: false };
const ROOT_CONTEXT: NodeContext = { mapping: false, simpleKey: false };

function isBreakChar(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/** go-yaml's is_printable, per code point (unicode output enabled). */
function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

/** Blank, break or NUL: what counts as whitespace before a `#`. */
function isBlankZ(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0 || isBreakChar(c);
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * A string as it is after Argo CD's JSON -> YAML round trip. Two things change on the way: lone surrogates become
 * U+FFFD (Go's JSON decoder), and U+0085 (NEL), which Go's JSON encoder leaves raw, is read by go-yaml as a line
 * break inside the double-quoted JSON string and folded: the blanks around a run of NELs collapse to one space,
 * or to n-1 newlines for n NELs.
 */
function goRoundTripString(s: string): string {
  let odd = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x85 || (c >= 0xd800 && c <= 0xdfff)) {
      odd = true;
      break;
    }
  }
  if (!odd) return s;
  const fixed = (s as string & { toWellFormed(): string }).toWellFormed();
  return fixed.replace(/ *\u0085[ \u0085]*/g, (run) => {
    let nels = 0;
    for (const ch of run) if (ch === '\u0085') nels++;
    return nels === 1 ? ' ' : '\n'.repeat(nels - 1);
  });
}

/** Strings made only of these characters (and not starting with `-` or `.`) have no indicator, space or break. */
const SIMPLE_STRING = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;
const SIMPLE_ANALYSIS: ScalarAnalysis = Object.freeze({ multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true });

/** go-yaml's scalar analysis: which styles can represent this string faithfully. */
function analyzeScalar(s: string): ScalarAnalysis {
  if (SIMPLE_STRING.test(s)) return SIMPLE_ANALYSIS;
  if (s.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;

  if (s.startsWith('---') || s.startsWith('...')) blockIndicators = true;

  const len = s.length;
  for (let i = 0; i < len; ) {
    const c = s.codePointAt(i)!;
    const w = c > 0xffff ? 2 : 1;
    const next = i + w < len ? s.charCodeAt(i + w) : -1;
    const followedByWhitespace = next === -1 || next === 0x20 || next === 0x09;
    const last = i + w >= len;
    if (i === 0) {
      switch (c) {
        case 0x23: // #
        case 0x2c: // ,
        case 0x5b: // [
        case 0x5d: // ]
        case 0x7b: // {
        case 0x7d: // }
        case 0x26: // &
        case 0x2a: // *
        case 0x21: // !
        case 0x7c: // |
        case 0x3e: // >
        case 0x27: // '
        case 0x22: // "
        case 0x25: // %
        case 0x40: // @
        case 0x60: // `
          blockIndicators = true;
          break;
        case 0x3f: // ?
        case 0x3a: // :
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x2d: // -
          if (followedByWhitespace) blockIndicators = true;
          break;
      }
    } else if (c === 0x3a) {
      if (followedByWhitespace) blockIndicators = true;
    } else if (c === 0x23) {
      if (precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakChar(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankZ(c);
    i += w;
  }

  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** The style go-yaml v2 ends up with for a string: what its encoder asks for, corrected by what the text allows. */
function selectStringStyle(s: string, a: ScalarAnalysis, simpleKey: boolean): Style {
  let style: Style;
  if (s.includes('\n')) style = 'literal';
  else if (!resolvesAsNonString(s) && !isBase60Float(s)) style = 'plain';
  else style = 'double';
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (s.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

function hex(c: number, digits: number): string {
  return c.toString(16).toUpperCase().padStart(digits, '0');
}

function escapeFor(c: number): string {
  switch (c) {
    case 0x00:
      return '\\0';
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0b:
      return '\\v';
    case 0x0c:
      return '\\f';
    case 0x0d:
      return '\\r';
    case 0x1b:
      return '\\e';
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x85:
      return '\\N';
    case 0xa0:
      return '\\_';
    case 0x2028:
      return '\\L';
    case 0x2029:
      return '\\P';
    default:
      if (c <= 0xff) return `\\x${hex(c, 2)}`;
      if (c <= 0xffff) return `\\u${hex(c, 4)}`;
      return `\\U${hex(c, 8)}`;
  }
}

function isPlainFastString(s: string): boolean {
  // Nothing that needs per-character care when writing: no space, no break, no astral or non-printable character.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c < 0x20 || c === 0x7f || c >= 0xd800) return false;
  }
  return true;
}

/**
 * Rendered scalars, by string: keys and values repeat across thousands of objects (`name`, `Synced`, `'*'`).
 * Only renderings that do not depend on the column are kept: simple keys (never folded) and one-line values,
 * used as is only where no fold can happen. Bounded; cleared when full.
 */
function isSortedGoOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (compareGoKeys(keys[i - 1]!, keys[i]!) > 0) return false;
  return true;
}

interface CachedScalar {
  /** The scalar as written, without the separating space. */
  text: string;
  /** Characters (code points) of `text`: the columns it takes. */
  width: number;
  /** A fold may happen at a space in it when it runs past column 80. */
  foldable: boolean;
}
const CACHE_LIMIT = 20_000;
const CACHEABLE_LENGTH = 256;
const keyCache = new Map<string, CachedScalar | null>(); // null: not a simple key
const valueCache = new Map<string, CachedScalar | null>(); // null: multi-line (depends on the indent)

function cacheSet(cache: Map<string, CachedScalar | null>, key: string, value: CachedScalar | null): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

const NEWLINE_INDENTS: string[] = [];
function newlineAndIndent(indent: number): string {
  return (NEWLINE_INDENTS[indent] ??= `\n${' '.repeat(indent)}`);
}

/** Emits one document; the state mirrors go-yaml's emitter (column, indentation, whitespace and indention flags). */
class Emitter {
  /** Output pieces, joined once per document: far less garbage than growing one string piece by piece. */
  private parts: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];

  get out(): string {
    return this.parts.join('');
  }

  private putBreak(): void {
    this.parts.push('\n');
    this.column = 0;
  }

  private pushIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.parts.push(newlineAndIndent(indent));
      this.column = indent;
    } else if (this.column < indent) {
      this.parts.push(' '.repeat(indent - this.column));
      this.column = indent;
    }
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) {
      this.parts.push(' ');
      this.column++;
    }
    this.parts.push(indicator);
    this.column += indicator.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  emitNode(value: unknown, ctx: NodeContext): void {
    if (value === null || value === undefined) return this.emitPlainText('null', ctx);
    switch (typeof value) {
      case 'string':
        return this.emitString(goRoundTripString(value), ctx);
      case 'boolean':
        return this.emitPlainText(value ? 'true' : 'false', ctx);
      case 'number':
      case 'bigint':
        return this.emitPlainText(formatGoNumber(value), ctx);
      case 'object':
        if (Array.isArray(value)) return this.emitSequence(value, ctx);
        return this.emitMapping(value as Record<string, unknown>, ctx);
      default:
        throw new TypeError(`cannot write a ${typeof value} as YAML`);
    }
  }

  private emitEmptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  private emitSequence(items: readonly unknown[], ctx: NodeContext): void {
    if (items.length === 0) return this.emitEmptyFlow('[', ']');
    this.pushIndent(false, ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.emitNode(item === undefined ? null : item, ITEM_CONTEXT);
    }
    this.popIndent();
  }

  private emitMapping(map: Record<string, unknown>, _ctx: NodeContext): void {
    let keys = Object.keys(map);
    let renamed = false;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (map[k] === undefined || (!keyCache.has(k) && goRoundTripString(k) !== k)) {
        renamed = true;
        break;
      }
    }
    // Rare: undefined members, or keys that the JSON -> YAML trip changes.
    const entries: Array<[string, unknown]> | undefined = renamed ? keys.filter((k) => map[k] !== undefined).map((k) => [goRoundTripString(k), map[k]]) : undefined;
    if (entries) keys = entries.map((e) => e[0]);
    if (keys.length === 0) return this.emitEmptyFlow('{', '}');
    if (entries) entries.sort((a, b) => compareGoKeys(a[0], b[0]));
    else if (!isSortedGoOrder(keys)) keys = [...keys].sort(compareGoKeys);
    this.pushIndent(false, false);
    for (let i = 0; i < keys.length; i++) {
      const key = entries ? entries[i]![0] : keys[i]!;
      const value = entries ? entries[i]![1] : map[key];
      this.writeIndent();
      let cached = keyCache.get(key);
      if (cached === undefined && key.length <= CACHEABLE_LENGTH) {
        const analysis = analyzeScalar(key);
        if (!analysis.multiline && utf8Length(key) <= MAX_SIMPLE_KEY_BYTES) {
          const text = this.render(() => this.emitAnalyzedString(key, analysis, { mapping: true, simpleKey: true }));
          cached = { text, width: codePoints(text).length, foldable: false };
        } else cached = null;
        cacheSet(keyCache, key, cached);
      }
      if (cached) {
        // A simple key right after an indent: whitespace is set, so nothing separates it.
        this.parts.push(cached.text);
        this.column += cached.width;
        this.whitespace = false;
        this.indention = false;
        this.writeIndicator(':', false, false, false);
      } else {
        const analysis = analyzeScalar(key);
        if (!analysis.multiline && utf8Length(key) <= MAX_SIMPLE_KEY_BYTES) {
          this.emitAnalyzedString(key, analysis, { mapping: true, simpleKey: true });
          this.writeIndicator(':', false, false, false);
        } else {
          this.writeIndicator('?', true, false, true);
          this.emitAnalyzedString(key, analysis, VALUE_CONTEXT);
          this.writeIndent();
          this.writeIndicator(':', true, false, true);
        }
      }
      this.emitNode(value, VALUE_CONTEXT);
    }
    this.popIndent();
  }

  /** What `write` would append, rendered from a clean state at column 0 (for the caches). */
  private render(write: () => void): string {
    const { parts, column, whitespace, indention } = this;
    this.parts = [];
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
    write();
    const text = this.parts.join('');
    this.parts = parts;
    this.column = column;
    this.whitespace = whitespace;
    this.indention = indention;
    return text;
  }

  /** Numbers, booleans and null: always plain, never folded (they hold no spaces). */
  private emitPlainText(text: string, _ctx: NodeContext): void {
    if (!this.whitespace) {
      this.parts.push(' ');
      this.column++;
    }
    this.parts.push(text);
    this.column += text.length;
    this.whitespace = false;
    this.indention = false;
  }

  private emitString(s: string, ctx: NodeContext): void {
    let cached = valueCache.get(s);
    if (cached === undefined && s.length <= CACHEABLE_LENGTH) {
      const analysis = analyzeScalar(s);
      // Multi-line text (literal blocks, quoted line breaks) is indented by context: not kept.
      if (analysis.multiline || selectStringStyle(s, analysis, false) === 'literal') cached = null;
      else {
        const text = this.render(() => this.emitAnalyzedString(s, analysis, VALUE_CONTEXT));
        // A rendering that folded depends on the indent: not kept.
        cached = text.includes('\n') ? null : { text, width: codePoints(text).length, foldable: text.includes(' ') };
      }
      cacheSet(valueCache, s, cached);
    }
    // Rendered at column 0, a value folds only past column 80: usable as is when it cannot reach that far.
    if (cached && !ctx.simpleKey && (!cached.foldable || this.column + 1 + cached.width <= BEST_WIDTH + 1)) {
      if (!this.whitespace) {
        this.parts.push(' ');
        this.column++;
      }
      this.parts.push(cached.text);
      this.column += cached.width;
      this.whitespace = false;
      this.indention = false;
      return;
    }
    this.emitAnalyzedString(s, analyzeScalar(s), ctx);
  }

  private emitAnalyzedString(s: string, analysis: ScalarAnalysis, ctx: NodeContext): void {
    const style = selectStringStyle(s, analysis, ctx.simpleKey);
    this.pushIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    switch (style) {
      case 'plain':
        this.writePlain(s, allowBreaks);
        break;
      case 'single':
        this.writeSingleQuoted(s, allowBreaks);
        break;
      case 'double':
        this.writeDoubleQuoted(s, allowBreaks);
        break;
      case 'literal':
        this.writeLiteral(s);
        break;
    }
    this.popIndent();
  }

  private writePlain(s: string, allowBreaks: boolean): void {
    if (!this.whitespace) {
      this.parts.push(' ');
      this.column++;
    }
    const fast = isPlainFastString(s);
    if (fast || !allowBreaks || this.column + s.length <= BEST_WIDTH + 1) {
      // No fold can happen: write it whole. (Column counts characters, as go-yaml does.)
      this.parts.push(s);
      this.column += fast ? s.length : codePoints(s).length;
    } else {
      const cps = codePoints(s);
      let spaces = false;
      for (let i = 0; i < cps.length; i++) {
        const c = cps[i]!;
        if (c === 0x20) {
          if (allowBreaks && !spaces && this.column > BEST_WIDTH && cps[i + 1] !== 0x20) {
            this.writeIndent();
          } else {
            this.parts.push(' ');
            this.column++;
          }
          spaces = true;
        } else {
          this.parts.push(String.fromCodePoint(c));
          this.column++;
          this.indention = false;
          spaces = false;
        }
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(s: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    const cps = codePoints(s);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1 && cps[i + 1] !== 0x20) {
          this.writeIndent();
        } else {
          this.parts.push(' ');
          this.column++;
        }
        spaces = true;
      } else if (isBreakChar(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) {
          this.parts.push("'");
          this.column++;
        }
        this.parts.push(String.fromCodePoint(c));
        this.column++;
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(s: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    // go-yaml checks for a byte-order mark at the start of the value on every character: a value that starts
    // with U+FEFF has every character escaped.
    const startsWithBom = s.charCodeAt(0) === 0xfeff;
    const cps = codePoints(s);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (startsWithBom || !isPrintable(c) || isBreakChar(c) || c === 0x22 || c === 0x5c) {
        const e = escapeFor(c);
        this.parts.push(e);
        this.column += e.length;
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (cps[i + 1] === 0x20) {
            this.parts.push('\\');
            this.column++;
          }
        } else {
          this.parts.push(' ');
          this.column++;
        }
        spaces = true;
      } else {
        this.parts.push(String.fromCodePoint(c));
        this.column++;
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.parts.push(String.fromCodePoint(c));
      this.column = 0;
    }
  }

  private writeLiteral(s: string): void {
    this.writeIndicator('|', true, false, false);
    const cps = codePoints(s);
    if (cps[0] === 0x20 || isBreakChar(cps[0]!)) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = cps.length - 1;
    let chomp = '';
    if (!isBreakChar(cps[last]!)) chomp = '-';
    else if (last === 0 || isBreakChar(cps[last - 1]!)) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (isBreakChar(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        // Copy the rest of this line in one piece.
        let j = i;
        while (j + 1 < cps.length && !isBreakChar(cps[j + 1]!)) j++;
        this.parts.push(String.fromCodePoint(...cps.slice(i, j + 1)));
        this.column += j + 1 - i;
        i = j;
        this.indention = false;
        breaks = false;
      }
    }
  }

  endDocument(): void {
    this.writeIndent();
  }
}

/** One YAML document exactly as `argocd admin export` writes an object, without the `---` that follows it. */
export function writeArgoYaml(value: unknown): string {
  const e = new Emitter();
  e.emitNode(value, ROOT_CONTEXT);
  e.endDocument();
  return e.out;
}

/** The separator Argo CD writes after every exported object. */
const ARGO_DOCUMENT_SEPARATOR = '---\n';

/** One object of a backup stream: the document followed by Argo CD's separator. */
export function writeArgoYamlDocument(value: unknown): string {
  return writeArgoYaml(value) + ARGO_DOCUMENT_SEPARATOR;
}

export { goKeyLess };
