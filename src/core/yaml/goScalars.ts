// How go-yaml v2 reads a plain scalar (its resolver) and how Go prints numbers on the way from JSON to YAML.
// The writer needs both: a string goes out unquoted only when reading it back unquoted would give the same
// string, and a number is printed the way Argo CD's JSON -> YAML path prints it.

const RESOLVED_WORDS = new Set([
  // booleans (YAML 1.1)
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  // null
  '', '~', 'null', 'Null', 'NULL',
  // special floats
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** go-yaml's float syntax for plain scalars that start with a digit or a sign. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's ParseFloat on text starting with '.': digits (underscores only between digits) and an optional exponent. */
const DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Go's strconv.ParseUint(s, 0, 64) (base from prefix: 0b, 0o, 0x, leading 0 = octal); undefined when it fails. */
function parseGoUint(s: string): bigint | undefined {
  let digits: string;
  let prefix = '';
  if (/^[1-9][0-9]*$/.test(s)) digits = s;
  else if (/^0[0-7]*$/.test(s)) [digits, prefix] = [s.length > 1 ? s.slice(1) : '0', '0o'];
  else if (/^0[xX][0-9a-fA-F]+$/.test(s)) [digits, prefix] = [s.slice(2), '0x'];
  else if (/^0[bB][01]+$/.test(s)) [digits, prefix] = [s.slice(2), '0b'];
  else if (/^0[oO][0-7]+$/.test(s)) [digits, prefix] = [s.slice(2), '0o'];
  else return undefined;
  const v = BigInt(prefix + digits);
  return v > UINT64_MAX ? undefined : v;
}

/** Go's strconv.ParseInt(s, 0, 64); undefined when it fails (syntax or range). */
function parseGoInt(s: string): bigint | undefined {
  if (s.length === 0) return undefined;
  let neg = false;
  let rest = s;
  if (s[0] === '+') rest = s.slice(1);
  else if (s[0] === '-') [neg, rest] = [true, s.slice(1)];
  const u = parseGoUint(rest);
  if (u === undefined) return undefined;
  const v = neg ? -u : u;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A cursor over the text, mimicking Go's time.Parse pieces that the YAML timestamp layouts use. */
class TimeText {
  constructor(public rest: string) {}
  /** Go's getnum(value, false): one or two digits. */
  num(): number | undefined {
    const d0 = this.rest.charCodeAt(0);
    if (!(d0 >= 48 && d0 <= 57)) return undefined;
    const d1 = this.rest.charCodeAt(1);
    if (d1 >= 48 && d1 <= 57) {
      this.rest = this.rest.slice(2);
      return (d0 - 48) * 10 + (d1 - 48);
    }
    this.rest = this.rest.slice(1);
    return d0 - 48;
  }
  literal(ch: string): boolean {
    if (ch === ' ') {
      // A space in a Go layout matches one or more spaces.
      if (this.rest[0] !== ' ') return false;
      this.rest = this.rest.replace(/^ +/, '');
      return true;
    }
    if (this.rest[0] !== ch) return false;
    this.rest = this.rest.slice(1);
    return true;
  }
  /** `.999999999`: an optional fraction of any length after '.' or ','. */
  fraction(): void {
    if (this.rest.length >= 2 && (this.rest[0] === '.' || this.rest[0] === ',') && /[0-9]/.test(this.rest[1]!)) {
      this.rest = this.rest.replace(/^[.,][0-9]+/, '');
    }
  }
  /** `Z07:00`: Z, or ±hh:mm. */
  zone(): boolean {
    if (this.rest[0] === 'Z') {
      this.rest = this.rest.slice(1);
      return true;
    }
    const m = /^([+-])([0-9]{2}):([0-9]{2})/.exec(this.rest);
    if (!m) return false;
    if (Number(m[2]) > 24 || Number(m[3]) > 60) return false;
    this.rest = this.rest.slice(6);
    return true;
  }
}

/** One of go-yaml v2's timestamp layouts: date, then (T|t) time zone, or space-separated time without zone. */
function parsesAsTimestampWith(s: string, layout: 'T' | 't' | ' ' | 'date'): boolean {
  const t = new TimeText(s.slice(4));
  const year = Number(s.slice(0, 4));
  if (!t.literal('-')) return false;
  const month = t.num();
  if (month === undefined || month < 1 || month > 12) return false;
  if (!t.literal('-')) return false;
  const day = t.num();
  if (day === undefined) return false;
  if (layout !== 'date') {
    if (!t.literal(layout)) return false;
    const hour = t.num();
    if (hour === undefined || hour >= 24) return false;
    if (!t.literal(':')) return false;
    const min = t.num();
    if (min === undefined || min >= 60) return false;
    if (!t.literal(':')) return false;
    const sec = t.num();
    if (sec === undefined || sec >= 60) return false;
    t.fraction();
    if (layout !== ' ' && !t.zone()) return false;
  }
  if (t.rest.length > 0) return false;
  return day >= 1 && day <= daysIn(month, year);
}

/** go-yaml v2's parseTimestamp: would this plain scalar read back as a timestamp? */
export function isGoYamlTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  return (['T', 't', ' ', 'date'] as const).some((layout) => parsesAsTimestampWith(s, layout));
}

/**
 * True when go-yaml v2 reads `s`, written unquoted, back as something other than this string (bool, null, int,
 * float, timestamp, or a YAML 1.1 base-60 float): such a string must be quoted.
 */
export function resolvesAsNonString(s: string): boolean {
  if (s.length === 0) return true; // null
  const c = s.charCodeAt(0);
  const isSign = c === 43 || c === 45;
  const isDigit = c >= 48 && c <= 57;
  const inWordTable = 'yYnNtTfFoO~'.includes(s[0]!);
  if (!(isSign || isDigit || inWordTable || c === 46)) return false;
  if (RESOLVED_WORDS.has(s)) return true;
  if (c === 46) return DOT_FLOAT.test(s) && Number.isFinite(Number(s.replace(/_/g, '')));
  if (inWordTable) return false;
  if (isGoYamlTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (parseGoInt(plain) !== undefined || parseGoUint(plain) !== undefined) return true;
  if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return true;
  if (plain.startsWith('0b') && parseGoUint(plain) !== undefined) return true;
  if (plain.startsWith('-0b') && parseGoInt('-' + plain.slice(3)) !== undefined) return true;
  return isBase60Float(s);
}

/** YAML 1.1 base-60 numbers (`1:20`): go-yaml quotes them for other parsers' sake. */
export function isBase60Float(s: string): boolean {
  const c = s.charCodeAt(0);
  if (!(c === 43 || c === 45 || (c >= 48 && c <= 57)) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64): shortest digits; exponent form below 1e-4 and from 1e6 on. */
function formatGoFloatG(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(f);
}

/**
 * A JSON number as Argo CD's export prints it. Integers that fit int64 were decoded as int64 and print exactly
 * (a bigint here when beyond 2^53); any other number was a float64 that Go's JSON encoder wrote out and go-yaml
 * read back: integral values that fit int64/uint64 print as integers, the rest in Go's %g form.
 */
export function formatGoNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (!Number.isFinite(n)) return formatGoFloatG(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    const text = String(n); // Go's JSON encoder: shortest digits, no exponent below 1e21 (-0 prints as 0)
    const v = BigInt(text);
    if ((v >= INT64_MIN && v <= INT64_MAX) || (v >= 0n && v <= UINT64_MAX)) return text;
  }
  if (Object.is(n, -0)) return '0';
  return formatGoFloatG(n);
}
