// The order in which go-yaml v2 writes map keys (what `argocd admin export` produces through sigs.k8s.io/yaml).
// It is not bytewise: letters sort after every non-letter, and runs of digits compare as numbers, so
// `a_b` < `aBc` and `item9` < `item10`. Emulated from the behaviour of go-yaml v2's key sorter.

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

/** Go's unicode.IsLetter on one code point. */
function isLetter(c: number): boolean {
  if (c < 128) return isAsciiLetter(c);
  return LETTER.test(String.fromCodePoint(c));
}

/** Go's unicode.IsDigit on one code point. */
function isDigit(c: number): boolean {
  if (c < 128) return c >= 48 && c <= 57;
  return DIGIT.test(String.fromCodePoint(c));
}

/** The Unicode code points of a string (surrogate pairs joined), as Go ranges over runes. */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** The value of a digit run as go-yaml accumulates it: int64 arithmetic that may wrap, seeded with `seed`. */
function digitRunValue(r: readonly number[], from: number, seed: number): { value: bigint; end: number } {
  let end = from;
  while (end < r.length && isDigit(r[end]!)) end++;
  let v = BigInt(seed);
  for (let k = from; k < end; k++) v = BigInt.asIntN(64, v * 10n + BigInt(r[k]! - 48));
  return { value: v, end };
}

function lessRunes(ar: readonly number[], br: readonly number[]): boolean {
  const n = Math.min(ar.length, br.length);
  for (let i = 0; i < n; i++) {
    const a = ar[i]!;
    const b = br[i]!;
    if (a === b) continue;
    const al = isLetter(a);
    const bl = isLetter(b);
    if (al && bl) return a < b;
    if (al || bl) return bl;
    // Neither is a letter: compare the digit runs starting here as numbers.
    let seed = 0;
    if (a === 48 || b === 48) {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== 48) {
          seed = 1;
          break;
        }
      }
    }
    const ra = digitRunValue(ar, i, seed);
    const rb = digitRunValue(br, i, seed);
    if (ra.value !== rb.value) return ra.value < rb.value;
    if (ra.end !== rb.end) return ra.end < rb.end;
    return a < b;
  }
  return ar.length < br.length;
}

/** True when go-yaml v2 writes key `a` before key `b`. */
export function goKeyLess(a: string, b: string): boolean {
  if (isAscii(a) && isAscii(b)) {
    // Fast path without building arrays: the common case is two keys that differ at a letter.
    const n = Math.min(a.length, b.length);
    let i = 0;
    while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (i === n) return a.length < b.length;
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    const al = isAsciiLetter(ca);
    const bl = isAsciiLetter(cb);
    if (al && bl) return ca < cb;
    if (al || bl) return bl;
  }
  return lessRunes(codePoints(a), codePoints(b));
}

/** Compare function for Array.prototype.sort giving go-yaml v2's key order. */
export function compareGoKeys(a: string, b: string): number {
  if (a === b) return 0;
  // Fast path: the first differing characters are ASCII and at least one is a letter (the usual case for keys).
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i < n) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca < 128 && cb < 128) {
      const al = isAsciiLetter(ca);
      const bl = isAsciiLetter(cb);
      if (al && bl) return ca - cb;
      if (al) return 1;
      if (bl) return -1;
    }
  }
  if (goKeyLess(a, b)) return -1;
  return goKeyLess(b, a) ? 1 : 0;
}
