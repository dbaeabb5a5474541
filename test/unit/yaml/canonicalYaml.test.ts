// The canonical fast path must read exactly what the yaml package reads: same values, same document ranges and
// extents, same problems, same ranges of every field. Each case is read twice (fast path allowed, and yaml package
// only) and compared; cases written in the canonical form must also really take the fast path, or the comparison
// would prove nothing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readBackup, type BackupDocument, type ParsedBackup } from '../../../src/core/yaml/readBackup';
import { readCanonicalYaml, resolvePlain } from '../../../src/core/yaml/canonicalYaml';
import { DEFAULT_READ_LIMITS } from '../../../src/core/yaml/yamlLimits';
import { writeArgoYaml } from '../../../src/core/yaml/argoYaml';

/** Every path to a value in a plain object (mapping keys and sequence indexes). */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (value && typeof value === 'object') {
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) {
      const p = [...prefix, k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

function view(doc: BackupDocument): unknown {
  return {
    index: doc.index,
    range: doc.range,
    extent: doc.extent,
    hasErrors: doc.hasErrors,
    object: doc.object,
    ranges: paths(doc.object).map((p) => [p.join('.'), doc.rangeOf(p), doc.keyRangeOf?.(p), doc.pairRangeOf(p)]),
    missing: doc.rangeOf(['no', 'such', 'path']),
  };
}

function viewAll(p: ParsedBackup): unknown {
  return { format: p.format, problems: p.problems, documents: p.documents.map(view) };
}

/** Reads `text` both ways and checks they agree; returns whether the fast path took it. */
function agree(text: string, label = JSON.stringify(text.slice(0, 80))): boolean {
  const fast = readBackup(text);
  const reference = readBackup(text, { fastPath: false });
  assert.deepStrictEqual(viewAll(fast), viewAll(reference), `fast path and yaml package differ on ${label}`);
  return readCanonicalYaml(text, DEFAULT_READ_LIMITS) !== undefined;
}

// ---------------------------------------------------------------------------------------------- hand-written cases

const CANONICAL: Record<string, string> = {
  'argocd admin export layout': 'apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n---\n',
  'leading marker, no trailing one': '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
  'leading comment and blank lines': '# gitops-dr-disable DRL012\n\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
  'comment before the first marker': '# a backup\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
  'comments everywhere': 'apiVersion: v1 # the version\n# between\nkind: ConfigMap\nmetadata:\n  # inside\n  name: a\n  labels:\n    x: "y" # quoted then comment\n# trailing\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n# end\n',
  'empty documents': '---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n\n---\n',
  'kubectl indentation (sequences indented under their key)': 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n    name: p\nspec:\n    destinations:\n      - namespace: "*"\n        server: "*"\n    sourceRepos:\n      - https://a\n      - https://b\n',
  'indentless sequences, nested sequences, compact mappings': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nlist:\n- - 1\n  - 2\n- - x\n-\n  - deep\n- a: 1\n  b:\n  - c\n  d: {}\n-\n- ""\n',
  'empty collections and null variants': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n  annotations: {}\nfinalizers: []\nn1: null\nn2: ~\nn3:\nn4: Null\nn5: NULL\nstatus: {}\n',
  'plain scalars of every type': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nv:\n  i: 42\n  neg: -7\n  plus: +3\n  zero: -0\n  oct: 0o17\n  hex: 0xFF\n  f: 1.50\n  f2: .5\n  f3: 5.\n  e: 1e3\n  e2: -2.5E-3\n  inf: .inf\n  ninf: -.Inf\n  nan: .NaN\n  t: true\n  T: True\n  F: FALSE\n  ts: 2024-01-01T00:00:00Z\n  ver: 1.2.3\n  s: 0x\n  url: https://a.b/c?d=e#f\n  colon: a:b\n  hash: a#b\n  brackets: a[0]{1},2\n  dash: -a\n  q: ?x\n',
  'keys that resolve to other types': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nk:\n  1: one\n  1.5: float\n  0x10: hex\n  true: t\n  null: nil\n  .inf: inf\n  "quoted key": a\n  \'single key\': b\n  a b: spaced\n  __proto__: proto\n  "y": quoted-y\n',
  'quoted scalars and escapes': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\ns:\n  d: "a\\tb\\nc\\"d\\\\e\\x41\\u00e9\\U0001F600\\0\\a\\b\\e\\f\\r\\v\\/\\ \\N\\_\\L\\P"\n  s: \'it\'\'s\'\n  empty: ""\n  sq: \'\'\n  num: "123"\n  bool: "true"\n  spaces: "  lead and trail  "\n  hash: "#x"\n  unicode: "ünïcødé ✓"\n',
  'literal block scalars': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  clip: |\n    line 1\n\n    line 3\n      indented\n    # not a comment\n\n  strip: |-\n    a\n    b\n\n\n  keep: |+\n    a\n\n\n  after: x\n  inseq:\n  - |\n    in a sequence\n  - k: |-\n      in a compact mapping\n  last: |\n    end of the document\n',
  'keep chomping at the end of a document': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  keep: |+\n    a\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  keep: |+\n    b\n\n',
  'comments at column 0 after the last value': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  keep: |+\n    a\n\n# after keep\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\nstatus: {}\n# after an empty map\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nl:\n- x # same line\n# next line\n',
  'a block scalar, then spaces and no line break': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: |+\n     text\n ',
  'quoted << and __proto__ are ordinary keys': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n"<<":\n  a: 1\n"__proto__":\n  polluted: 1\n',
  'multi-line scalars as Go folds long strings': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nd:\n  plain: one two three\n    four five\n\n    six\n  dq: "one two\n    three \\ four\\n\\\n    \\ five\n\n\n    six  "\n  sq: \'it\'\'s one\n    two\n\n    three\n    \'\n  seq:\n  - one two\n    three\n  - "a\n    b"\n  onitsown:\n    one\n    two\nnext: x\n',
  'explicit indentation indicators, as Go writes text that starts with a space': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nd: |2\n   lead\nm:\n  v: |2-\n     lead\n    second\nl:\n- |2+\n   x\n\n- k: |-2\n     y\nll:\n- - |2\n     z\n',
  'no trailing newline': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a',
  'spaces before the colon and trailing spaces': 'apiVersion: v1   \nkind : ConfigMap\nmetadata:   \n  name:    a   \n',
  'a List is read as a document (the reader reports it)': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n',
  'missing metadata.name (the reader reports it)': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: x\n',
};

for (const [name, text] of Object.entries(CANONICAL)) {
  test(`canonical YAML: ${name}: the fast path takes it and agrees with the yaml package`, () => {
    assert.ok(agree(text, name), 'the fast path should take this text');
  });
}

/** Texts outside the subset: whichever path reads them, the result is the yaml package's. */
const OUTSIDE: Record<string, string> = {
  anchors: 'apiVersion: v1\nkind: X\nmetadata: &m\n  name: a\nother: *m\n',
  // Read otherwise by Argo CD's Go reader (YAML 1.1): the yaml package reads them, and the reader reports BK012.
  'plain scalars Argo CD reads otherwise': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nv:\n  big: 123456789012345678901234\n  no: no\n  yes: yes\n  y: y\n  on: off\n  mode: 0755\n',
  tags: 'apiVersion: v1\nkind: X\nmetadata:\n  name: !!str a\n',
  'flow mapping': 'apiVersion: v1\nkind: X\nmetadata: {name: a}\n',
  'flow sequence': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nl: [1, 2]\n',
  'multi-line quoted key': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n"long\n  key": 1\n',
  'multi-line plain with a key-like line': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nd: one\n  two: three\n',
  'folded scalar': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nd: >\n  one\n  two\n',
  'explicit indentation indicator on a line of its own': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nd:\n  |2\n    lead\n',
  'duplicate key': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n  name: b\n',
  'merge key': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n  <<: {x: 1}\n',
  tab: 'apiVersion: v1\nkind: X\nmetadata:\n\tname: a\n',
  crlf: 'apiVersion: v1\r\nkind: X\r\nmetadata:\r\n  name: a\r\n',
  'document end marker': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n...\n',
  'content on the marker line': '--- apiVersion: v1\n',
  'scalar document': 'just a string\n',
  'sequence document': '- a\n- b\n',
  'bad indentation': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n   extra: b\n',
  'key in a compact value': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a: b\n',
  'invalid escape': 'apiVersion: v1\nkind: X\nmetadata:\n  name: "a\\qb"\n',
  'unterminated quote': 'apiVersion: v1\nkind: X\nmetadata:\n  name: "a\n',
  'indented first document': '  apiVersion: v1\n  kind: X\n  metadata:\n    name: a\n',
  directive: '%YAML 1.2\n---\napiVersion: v1\nkind: X\nmetadata:\n  name: a\n',
  'comment glued to a quoted value': 'apiVersion: v1\nkind: X\nmetadata:\n  name: "a"#b\n',
  'comment after a value left out': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nempty: # says nothing\n# and more\n',
  'indented comment after the last value': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n  # indented\n',
  'a block scalar, then more spaces than its indentation and no line break': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nk: |-\n text\n  ',
  'a sequence item where a key belongs': 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n- b\n',
};

for (const [name, text] of Object.entries(OUTSIDE)) {
  test(`canonical YAML: ${name}: left to the yaml package, same result`, () => {
    assert.equal(agree(text, name), false, 'the fast path should give up on this text');
  });
}

test('canonical YAML: a __proto__ key is an own property, never the prototype', () => {
  const obj = readBackup(CANONICAL['quoted << and __proto__ are ordinary keys']!).documents[0]!.object as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(obj), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(obj, '__proto__')?.value, { polluted: 1 });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('canonical YAML: limits make the fast path give up, so the yaml package reports them', () => {
  const text = 'apiVersion: v1\nkind: X\nmetadata:\n  name: a\nd:\n  e:\n    f: 1\n';
  assert.ok(readCanonicalYaml(text, DEFAULT_READ_LIMITS));
  assert.equal(readCanonicalYaml(text, { ...DEFAULT_READ_LIMITS, maxDepth: 2 }), undefined);
  assert.equal(readCanonicalYaml(text, { ...DEFAULT_READ_LIMITS, maxScalarBytes: 100 }), undefined);
  assert.equal(readCanonicalYaml(`${text}---\n${text}`, { ...DEFAULT_READ_LIMITS, maxDocuments: 1 }), undefined);
  const deep = readBackup(text, { maxDepth: 2 });
  assert.deepEqual(deep.problems.map((p) => p.code), ['BK007']);
});

test('canonical YAML: plain scalars resolve as the yaml core schema does', () => {
  const cases: Array<[string, unknown]> = [
    ['', null], ['~', null], ['null', null], ['true', true], ['False', false], ['yes', 'yes'], ['42', 42], ['-0', -0],
    ['0o17', 15], ['0x1f', 31], ['1.5', 1.5], ['1e3', 1000], ['.inf', Infinity], ['-.inf', -Infinity], ['1.2.3', '1.2.3'],
    ['0b1', '0b1'], ['+.5', 0.5], ['nope', 'nope'], ['Nan', 'Nan'],
  ];
  for (const [s, v] of cases) assert.ok(Object.is(resolvePlain(s), v), `${s} -> ${String(resolvePlain(s))}, expected ${String(v)}`);
  assert.ok(Number.isNaN(resolvePlain('.nan')));
});

// ---------------------------------------------------------------------------------------------- generated cases

/** A small seeded generator (mulberry32), so a failure is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRICKY_STRINGS = [
  '', ' ', 'a', 'true', 'True', 'no', 'null', '~', '123', '-1', '1.5', '0x1F', '0o7', '1e3', '.inf', 'NaN', '-', '--', '---',
  'a: b', 'a:b', 'a #b', 'a#b', '#a', '- a', '? a', ': a', '[a]', '{a}', 'a, b', '*a', '&a', '!a', '|', '>', '%a', '@a', '`a',
  "it's", 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak', 'two\n\nbreaks\n', 'trailing newline\n', 'keep\n\n\n',
  '  leading', 'trailing  ', 'ünïcødé', '日本語', '😀 emoji', '\u0085', '\u2028', 'ctrl\u0001', 'https://git.example.com/org/repo.git',
  'a'.repeat(100), 'word '.repeat(30).trim(), `*${'word '.repeat(25)}end`, 'word  '.repeat(20).trim(), `ctrl\u0001 ${'word '.repeat(20)}end`,
  `line one  \nline two ${'x '.repeat(40)}end`, `#${'y '.repeat(45)}`, `${'z '.repeat(45)}'q'`, ' lead\nsecond', 'x: '.repeat(5), '2024-01-01', '2024-01-01T10:00:00Z', '1:20', '0123', '+1', '1_000',
];
const KEYS = ['a', 'name', 'namespace', 'b c', 'x.y/z', '1', 'true', 'null', '', 'é', 'a: b', '#k', '-k', 'k-', 'with "quote"', "it's", 'UPPER', '__proto__', 'y', 'on'];

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 4 || pick < 0.45) {
    const s = r();
    if (s < 0.55) return TRICKY_STRINGS[Math.floor(r() * TRICKY_STRINGS.length)];
    if (s < 0.65) return Math.floor(r() * 2000) - 1000;
    if (s < 0.72) return Math.round(r() * 1e6) / 1000;
    if (s < 0.8) return r() < 0.5;
    if (s < 0.85) return null;
    return `v-${Math.floor(r() * 1e6)}`;
  }
  if (pick < 0.7) {
    const n = Math.floor(r() * 4);
    return Array.from({ length: n }, () => randomValue(r, depth + 1));
  }
  const out: Record<string, unknown> = {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const k = KEYS[Math.floor(r() * KEYS.length)]!;
    Object.defineProperty(out, k, { value: randomValue(r, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function randomObject(r: () => number, i: number): unknown {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: randomValue(r, 3) }, data: randomValue(r, 1), extra: randomValue(r, 0) };
}

test('canonical YAML: 3,000 generated objects written as Argo CD writes them read the same both ways', () => {
  const r = rng(Number(process.env.GSEED ?? 20261124));
  let fastTaken = 0;
  const total = Number(process.env.GFILES ?? 300);
  for (let file = 0; file < total; file++) {
    const text = Array.from({ length: 10 }, (_, i) => writeArgoYaml(randomObject(r, i))).join('---\n') + '---\n';
    if (agree(text, `generated file ${file}`)) fastTaken++;
  }
  // What Go writes is in the subset, folded long strings included; only rare shapes (a literal block whose first
  // line starts with a space gets an indentation indicator) go to the yaml package.
  if (process.env.SHOW_FAST) console.log(`generated: ${fastTaken} of ${total} took the fast path`);
  assert.ok(fastTaken >= total * 0.9, `only ${fastTaken} of ${total} generated files took the fast path`);
});

/** Small edits a person makes by hand: comments, blank lines, re-indentation, stray characters. */
function mutate(r: () => number, text: string): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(r() * 4);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(r() * lines.length);
    const line = lines[i] ?? '';
    const kind = r();
    if (kind < 0.2) lines.splice(i, 0, `${' '.repeat(Math.floor(r() * 6))}# comment ${e}`);
    else if (kind < 0.35) lines.splice(i, 0, ' '.repeat(Math.floor(r() * 4)));
    else if (kind < 0.5) lines[i] = `${line} # trailing`;
    else if (kind < 0.6) lines[i] = `  ${line}`;
    else if (kind < 0.7) lines[i] = line.replace(/^ {2}/, '');
    else if (kind < 0.75) lines[i] = `${line}  `;
    else if (kind < 0.78) lines.splice(i, 0, '---');
    else if (kind < 0.81) lines.splice(i, 0, `${' '.repeat(Math.floor(r() * 4))}k${e}: |${['', '-', '+'][Math.floor(r() * 3)]}`, `${' '.repeat(Math.floor(r() * 6))}text ${e}`);
    else if (kind < 0.84) lines[i] = ` ${line}`;
    else if (kind < 0.9) {
      const at = Math.floor(r() * (line.length + 1));
      const ch = ':#-|>\'"{}[]&*!? \\'[Math.floor(r() * 17)]!;
      lines[i] = line.slice(0, at) + ch + line.slice(at);
    } else lines.splice(i, 1);
  }
  return lines.join('\n');
}

test('canonical YAML: 4,000 hand-edited variants read the same both ways (or go to the yaml package)', () => {
  const r = rng(Number(process.env.SEED ?? 7));
  let fastTaken = 0;
  const total = Number(process.env.FUZZ ?? 4000);
  for (let n = 0; n < total; n++) {
    const base = Array.from({ length: 2 }, (_, i) => writeArgoYaml(randomObject(r, i))).join('---\n');
    const text = mutate(r, base);
    if (agree(text, `variant ${n}: ${JSON.stringify(text)}`)) fastTaken++;
  }
  if (process.env.SHOW_FAST) console.log(`variants: ${fastTaken} of ${total} took the fast path`);
  assert.ok(fastTaken > total / 10, `only ${fastTaken} of ${total} variants took the fast path`);
});
