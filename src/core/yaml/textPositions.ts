// Offsets <-> 0-based line/character positions (UTF-16 code units, like LSP and vscode.Position).

export interface Position {
  line: number;
  character: number;
}

export interface TextRange {
  start: Position;
  end: Position;
  startOffset: number;
  endOffset: number;
}

/** Line starts of one text, found once; every lookup is a binary search. */
export class LineIndex {
  private constructor(
    /** Offsets where lines start; only the first `count` entries are used (a typed array: no per-line garbage). */
    private readonly lineStarts: Uint32Array,
    private readonly count: number,
    readonly length: number,
  ) {}

  /** Scans `text` for line breaks (\n, \r\n and a lone \r, as YAML and VS Code count them). */
  static of(text: string): LineIndex {
    let starts = new Uint32Array(Math.max(16, text.length >> 5));
    let n = 1; // starts[0] = 0
    const add = (start: number): void => {
      if (n === starts.length) {
        const grown = new Uint32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[n++] = start;
    };
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) add(i + 1);
    } else {
      for (let j = 0; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c === 10 || (c === 13 && text.charCodeAt(j + 1) !== 10)) add(j + 1);
      }
    }
    return new LineIndex(starts, n, text.length);
  }

  get lineCount(): number {
    return this.count;
  }

  /** Offset where 0-based `line` starts (the text length past the last line). */
  lineStart(line: number): number {
    if (line < 0) return 0;
    return line < this.count ? this.lineStarts[line]! : this.length;
  }

  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    const line = this.lineOf(o);
    return { line, character: o - this.lineStarts[line]! };
  }

  offsetAt(position: Position): number {
    return Math.min(this.lineStart(position.line) + position.character, this.length);
  }

  range(startOffset: number, endOffset: number): TextRange {
    const s = Math.max(0, Math.min(startOffset, this.length));
    const e = Math.max(s, Math.min(endOffset, this.length));
    return { start: this.positionAt(s), end: this.positionAt(e), startOffset: s, endOffset: e };
  }
}

/** End offset with trailing blanks and line breaks dropped (YAML node ranges include the final newline). */
export function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start) {
    const c = text.charCodeAt(e - 1);
    if (c === 32 || c === 9 || c === 10 || c === 13) e--;
    else break;
  }
  return e;
}
