// Golden tests of the Argo-identical YAML writer. Every expected text below is what Argo CD's export path
// (JSON -> sigs.k8s.io/yaml v1.6.0 -> go-yaml v2.4) prints for the input; they were checked against that library.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { writeArgoYaml, writeArgoYamlDocument } from '../../../src/core/yaml/argoYaml';
import { compareGoKeys } from '../../../src/core/yaml/goKeyOrder';
import { formatGoNumber, isGoYamlTimestamp, resolvesAsNonString } from '../../../src/core/yaml/goScalars';
import { parseKubeJson } from '../../../src/core/backup/losslessJson';

function lines(...ls: string[]): string {
  return ls.map((l) => `${l}\n`).join('');
}

interface GoldenCase {
  group: string;
  name: string;
  /** The object as the API server's JSON. */
  json: string;
  yaml: string;
}

const GOLDEN: GoldenCase[] = [
  {
    group: "quoting",
    name: "booleans and nulls as strings",
    json: "{\"a\":\"true\",\"b\":\"yes\",\"c\":\"no\",\"d\":\"on\",\"e\":\"Off\",\"f\":\"y\",\"g\":\"N\",\"h\":\"~\",\"i\":\"null\",\"j\":\"NULL\",\"k\":\"True\"}",
    yaml: lines(
      "a: \"true\"",
      "b: \"yes\"",
      "c: \"no\"",
      "d: \"on\"",
      "e: \"Off\"",
      "f: \"y\"",
      "g: \"N\"",
      "h: \"~\"",
      "i: \"null\"",
      "j: \"NULL\"",
      "k: \"True\"",
    ),
  },
  {
    group: "quoting",
    name: "empty string",
    json: "{\"policy.csv\":\"\"}",
    yaml: lines(
      "policy.csv: \"\"",
    ),
  },
  {
    group: "quoting",
    name: "indicator characters at the start",
    json: "{\"a\":\"*\",\"b\":\"-\",\"c\":\"- a\",\"d\":\"@x\",\"e\":\"`x\",\"f\":\"%x\",\"g\":\"!x\",\"h\":\"&x\",\"i\":\"|x\",\"j\":\">x\",\"k\":\"#x\",\"l\":\"[x\",\"m\":\"{x\",\"n\":\",x\",\"o\":\"?x\",\"p\":\"? x\",  \"q\":\":x\",\"r\":\"---x\",\"s\":\"...x\",\"t\":\"'q'\",\"u\":\"\\\"dq\\\"\"}",
    yaml: lines(
      "a: '*'",
      "b: '-'",
      "c: '- a'",
      "d: '@x'",
      "e: '`x'",
      "f: '%x'",
      "g: '!x'",
      "h: '&x'",
      "i: '|x'",
      "j: '>x'",
      "k: '#x'",
      "l: '[x'",
      "m: '{x'",
      "\"n\": ',x'",
      "o: ?x",
      "p: '? x'",
      "q: :x",
      "r: '---x'",
      "s: '...x'",
      "t: '''q'''",
      "u: '\"dq\"'",
    ),
  },
  {
    group: "quoting",
    name: "indicators inside",
    json: "{\"a\":\"a: b\",\"b\":\"a #b\",\"c\":\"a:b\",\"d\":\"a#b\",\"e\":\"key:\",\"f\":\"x, y\",\"g\":\"http://h:8080/p?q=1#f\",\"h\":\"a - b\"}",
    yaml: lines(
      "a: 'a: b'",
      "b: 'a #b'",
      "c: a:b",
      "d: a#b",
      "e: 'key:'",
      "f: x, y",
      "g: http://h:8080/p?q=1#f",
      "h: a - b",
    ),
  },
  {
    group: "quoting",
    name: "leading and trailing spaces",
    json: "{\"a\":\" lead\",\"b\":\"trail \",\"c\":\" \",\"d\":\"in side\"}",
    yaml: lines(
      "a: ' lead'",
      "b: 'trail '",
      "c: ' '",
      "d: in side",
    ),
  },
  {
    group: "quoting",
    name: "numbers as strings",
    json: "{\"a\":\"0\",\"b\":\"10\",\"c\":\"-1\",\"d\":\"+1\",\"e\":\"1.5\",\"f\":\".5\",\"g\":\"1e3\",\"h\":\"0x1F\",\"i\":\"0755\",\"j\":\"08\",\"k\":\"1_000\",\"l\":\"1:20\",\"m\":\"8080:80\",\"n\":\"9223372036854775808\",\"o\":\"1e999\",\"p\":\".inf\",\"q\":\"-.Inf\",\"r\":\"0b101\",\"s\":\"1.\",\"t\":\"-\"}",
    yaml: lines(
      "a: \"0\"",
      "b: \"10\"",
      "c: \"-1\"",
      "d: \"+1\"",
      "e: \"1.5\"",
      "f: \".5\"",
      "g: \"1e3\"",
      "h: \"0x1F\"",
      "i: \"0755\"",
      "j: \"08\"",
      "k: \"1_000\"",
      "l: \"1:20\"",
      "m: 8080:80",
      "\"n\": \"9223372036854775808\"",
      "o: 1e999",
      "p: \".inf\"",
      "q: \"-.Inf\"",
      "r: \"0b101\"",
      "s: \"1.\"",
      "t: '-'",
    ),
  },
  {
    group: "quoting",
    name: "timestamps as strings",
    json: "{\"a\":\"2024-05-01\",\"b\":\"2024-05-01T10:00:00Z\",\"c\":\"2024-05-01T10:00:00.123+02:00\",\"d\":\"2024-5-1\",\"e\":\"2024-13-01\",\"f\":\"2024-02-30\",\"g\":\"2024-02-29\",\"h\":\"2023-02-29\",\"i\":\"2024-05-01 10:00:00\",\"j\":\"2024-05-01T10:00\"}",
    yaml: lines(
      "a: \"2024-05-01\"",
      "b: \"2024-05-01T10:00:00Z\"",
      "c: \"2024-05-01T10:00:00.123+02:00\"",
      "d: \"2024-5-1\"",
      "e: 2024-13-01",
      "f: 2024-02-30",
      "g: \"2024-02-29\"",
      "h: 2023-02-29",
      "i: \"2024-05-01 10:00:00\"",
      "j: 2024-05-01T10:00",
    ),
  },
  {
    group: "numbers",
    name: "integers and floats",
    json: "{\"a\":0,\"b\":-1,\"c\":1.5,\"d\":1e-7,\"e\":1234567.5,\"f\":123456.5,\"g\":1e21,\"h\":1e20,\"i\":1000000.0,\"j\":-0.0,\"k\":0.0001,\"l\":0.00001,\"m\":3.141592653589793}",
    yaml: lines(
      "a: 0",
      "b: -1",
      "c: 1.5",
      "d: 1e-07",
      "e: 1.2345675e+06",
      "f: 123456.5",
      "g: 1e+21",
      "h: 1e+20",
      "i: 1000000",
      "j: 0",
      "k: 0.0001",
      "l: 1e-05",
      "m: 3.141592653589793",
    ),
  },
  {
    group: "numbers",
    name: "integers beyond 2^53",
    json: "{\"a\":9007199254740993,\"b\":9223372036854775807,\"c\":-9223372036854775808,\"d\":9223372036854775808,\"e\":18446744073709551615,\"f\":18446744073709551616}",
    yaml: lines(
      "a: 9007199254740993",
      "b: 9223372036854775807",
      "c: -9223372036854775808",
      "d: 9223372036854776000",
      "e: 1.8446744073709552e+19",
      "f: 1.8446744073709552e+19",
    ),
  },
  {
    group: "numbers",
    name: "booleans and null",
    json: "{\"a\":true,\"b\":false,\"c\":null}",
    yaml: lines(
      "a: true",
      "b: false",
      "c: null",
    ),
  },
  {
    group: "multi-line",
    name: "literal block without trailing newline",
    json: "{\"a\":\"line one\\nline two\"}",
    yaml: lines(
      "a: |-",
      "  line one",
      "  line two",
    ),
  },
  {
    group: "multi-line",
    name: "literal block with one trailing newline",
    json: "{\"ssh_known_hosts\":\"# comment\\ngithub.com ssh-ed25519 AAAA\\n\"}",
    yaml: lines(
      "ssh_known_hosts: |",
      "  # comment",
      "  github.com ssh-ed25519 AAAA",
    ),
  },
  {
    group: "multi-line",
    name: "literal block keeping trailing newlines",
    json: "{\"a\":\"x\\n\\n\"}",
    yaml: lines(
      "a: |+",
      "  x",
      "",
    ),
  },
  {
    group: "multi-line",
    name: "literal block with leading newline or space gets an indent hint",
    json: "{\"a\":\"\\nafter\",\"b\":\"  indented\\nnext\",\"c\":\"\\n\"}",
    yaml: lines(
      "a: |2-",
      "",
      "  after",
      "b: |2-",
      "    indented",
      "  next",
      "c: |2+",
      "",
    ),
  },
  {
    group: "multi-line",
    name: "empty lines inside a literal block",
    json: "{\"a\":\"one\\n\\n\\ntwo\\n\"}",
    yaml: lines(
      "a: |",
      "  one",
      "",
      "",
      "  two",
    ),
  },
  {
    group: "multi-line",
    name: "space before a line break forces double quotes",
    json: "{\"a\":\"a \\nb\",\"b\":\"tab\\there\\nnext\",\"c\":\"trailing space\\n \"}",
    yaml: lines(
      "a: \"a \\nb\"",
      "b: \"tab\\there\\nnext\"",
      "c: \"trailing space\\n \"",
    ),
  },
  {
    group: "multi-line",
    name: "literal block inside a list and a nested map",
    json: "{\"spec\":{\"items\":[\"a\\nb\",{\"script\":\"echo 1\\necho 2\\n\"}]}}",
    yaml: lines(
      "spec:",
      "  items:",
      "  - |-",
      "    a",
      "    b",
      "  - script: |",
      "      echo 1",
      "      echo 2",
    ),
  },
  {
    group: "empty",
    name: "empty maps and lists",
    json: "{\"a\":{},\"b\":[],\"c\":[{},[]],\"status\":{}}",
    yaml: lines(
      "a: {}",
      "b: []",
      "c:",
      "- {}",
      "- []",
      "status: {}",
    ),
  },
  {
    group: "structure",
    name: "lists are not indented under their key",
    json: "{\"spec\":{\"sourceRepos\":[\"*\"],\"destinations\":[{\"namespace\":\"*\",\"server\":\"*\"}]}}",
    yaml: lines(
      "spec:",
      "  destinations:",
      "  - namespace: '*'",
      "    server: '*'",
      "  sourceRepos:",
      "  - '*'",
    ),
  },
  {
    group: "structure",
    name: "lists of lists",
    json: "{\"a\":[[1,2],[[3]],[]]}",
    yaml: lines(
      "a:",
      "- - 1",
      "  - 2",
      "- - - 3",
      "- []",
    ),
  },
  {
    group: "structure",
    name: "root values",
    json: "[1,\"a\",{\"b\":1}]",
    yaml: lines(
      "- 1",
      "- a",
      "- b: 1",
    ),
  },
  {
    group: "unicode",
    name: "printable unicode stays as is",
    json: "{\"a\":\"é日本語\",\"b\":\" nbsp\",\"c\":\"ß\"}",
    yaml: lines(
      "a: é日本語",
      "b:  nbsp",
      "c: ß",
    ),
  },
  {
    group: "unicode",
    name: "characters outside the BMP are escaped",
    json: "{\"a\":\"😀\",\"b\":\"x😀y\"}",
    yaml: lines(
      "a: \"\\U0001F600\"",
      "b: \"x\\U0001F600y\"",
    ),
  },
  {
    group: "unicode",
    name: "control characters are escaped",
    json: "{\"a\":\"\\u0007\",\"b\":\"\\u001b[0m\",\"c\":\"a\\rb\",\"d\":\"\\u0000\",\"f\":\"\\t\"}",
    yaml: lines(
      "a: \"\\a\"",
      "b: \"\\e[0m\"",
      "c: \"a\\rb\"",
      "d: \"\\0\"",
      "f: \"\\t\"",
    ),
  },
  {
    group: "unicode",
    name: "line and paragraph separators",
    json: "{\"a\":\"a\\u2028b\",\"b\":\"\\u2029\"}",
    yaml: lines(
      "a: 'a   b'",
      "b: ' '",
    ),
  },
  {
    group: "unicode",
    name: "a leading byte-order mark escapes every character",
    json: "{\"a\":\"\\ufeffab c\"}",
    yaml: lines(
      "a: \"\\uFEFF\\x61\\x62\\x20\\x63\"",
    ),
  },
  {
    group: "unicode",
    name: "NEL folds into a space on the JSON to YAML trip",
    json: "{\"a\":\"a \\u0085 b\",\"b\":\"x\\u0085\\u0085y\"}",
    yaml: lines(
      "a: a b",
      "b: |-",
      "  x",
      "  y",
    ),
  },
  {
    group: "keys",
    name: "natural key order",
    json: "{\"aBc\":1,\"a_b\":2,\"item10\":3,\"item9\":4,\"item09\":5,\"a-b\":6,\"a.b\":7,\"A\":8,\"a\":9,\"a1\":10,\"a:\":11,\"Z\":12,\"_\":13,\"é\":14}",
    yaml: lines(
      "_: 13",
      "A: 8",
      "Z: 12",
      "a: 9",
      "a-b: 6",
      "a.b: 7",
      "'a:': 11",
      "a_b: 2",
      "a1: 10",
      "aBc: 1",
      "item9: 4",
      "item09: 5",
      "item10: 3",
      "é: 14",
    ),
  },
  {
    group: "keys",
    name: "keys that need quotes",
    json: "{\"y\":1,\"n\":2,\"\":3,\"true\":4,\"*\":5,\"a: b\":6,\"1\":7,\"on\":8,\"no\":9,\"~\":10}",
    yaml: lines(
      "\"\": 3",
      "'*': 5",
      "\"~\": 10",
      "\"1\": 7",
      "'a: b': 6",
      "\"n\": 2",
      "\"no\": 9",
      "\"on\": 8",
      "\"true\": 4",
      "\"y\": 1",
    ),
  },
  {
    group: "keys",
    name: "a key longer than 128 bytes is a complex key",
    json: "{\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\":{\"nested\":\"v\",\"list\":[1]},\"short\":\"x\"}",
    yaml: lines(
      "? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
      ": list:",
      "  - 1",
      "  nested: v",
      "short: x",
    ),
  },
  {
    group: "keys",
    name: "a multi-line key is a complex key",
    json: "{\"a\\nb\":\"v\",\"c\":[\"x\"]}",
    yaml: lines(
      "? |-",
      "  a",
      "  b",
      ": v",
      "c:",
      "- x",
    ),
  },
  {
    group: "folding",
    name: "long plain string folds at a space past column 80",
    json: "{\"description\":\"This is a long description of an application that goes on and on past the eightieth column of the line\"}",
    yaml: lines(
      "description: This is a long description of an application that goes on and on past",
      "  the eightieth column of the line",
    ),
  },
  {
    group: "folding",
    name: "long single-quoted string folds too",
    json: "{\"a\":\"abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 \"}",
    yaml: lines(
      "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz",
      "  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '",
    ),
  },
  {
    group: "folding",
    name: "long double-quoted string folds, escaping a following space",
    json: "{\"message\":\"\\ttab first, then a very long message that needs folding because it is long,    with spaces after the fold point\"}",
    yaml: lines(
      "message: \"\\ttab first, then a very long message that needs folding because it is long,",
      "  \\   with spaces after the fold point\"",
    ),
  },
  {
    group: "folding",
    name: "a long word is never broken",
    json: "{\"data\":{\"tls.crt\":\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENCK3dJSkFKYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVm\"}}",
    yaml: lines(
      "data:",
      "  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENCK3dJSkFKYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVmYTVm",
    ),
  },
  {
    group: "folding",
    name: "folding in a nested value uses the nested indent",
    json: "{\"status\":{\"conditions\":[{\"message\":\"Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown\"}]}}",
    yaml: lines(
      "status:",
      "  conditions:",
      "  - message: 'Failed to load target state: failed to generate manifest for source",
      "      1 of 1: rpc error: code = Unknown'",
    ),
  },
];

for (const c of GOLDEN) {
  test(`argoYaml ${c.group}: ${c.name}`, () => {
    assert.equal(writeArgoYaml(parseKubeJson(c.json)), c.yaml);
  });
}

test('argoYaml: a whole Application document, as argocd admin export writes it', () => {
  const app = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'guestbook', namespace: 'team-a', finalizers: ['resources-finalizer.argocd.argoproj.io'], labels: { 'app.kubernetes.io/instance': 'guestbook' } },
    spec: {
      destination: { namespace: 'guestbook', server: 'https://kubernetes.default.svc' },
      project: 'default',
      source: { path: 'guestbook', repoURL: 'https://github.com/argoproj/argocd-example-apps', targetRevision: 'HEAD' },
      syncPolicy: { automated: { prune: true, selfHeal: false }, syncOptions: ['CreateNamespace=true'] },
    },
    status: { health: { status: 'Healthy' }, reconciledAt: '2024-05-01T10:00:00Z', resources: [], sync: { status: 'Synced' } },
  };
  assert.equal(
    writeArgoYamlDocument(app),
    lines(
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata:',
      '  finalizers:',
      '  - resources-finalizer.argocd.argoproj.io',
      '  labels:',
      '    app.kubernetes.io/instance: guestbook',
      '  name: guestbook',
      '  namespace: team-a',
      'spec:',
      '  destination:',
      '    namespace: guestbook',
      '    server: https://kubernetes.default.svc',
      '  project: default',
      '  source:',
      '    path: guestbook',
      '    repoURL: https://github.com/argoproj/argocd-example-apps',
      '    targetRevision: HEAD',
      '  syncPolicy:',
      '    automated:',
      '      prune: true',
      '      selfHeal: false',
      '    syncOptions:',
      '    - CreateNamespace=true',
      'status:',
      '  health:',
      '    status: Healthy',
      '  reconciledAt: "2024-05-01T10:00:00Z"',
      '  resources: []',
      '  sync:',
      '    status: Synced',
      '---',
    ),
  );
});

test('argoYaml: DEL and other characters Argo CD cannot export are still written, escaped', () => {
  // go-yaml refuses to read a raw DEL back, so `argocd admin export` fails on such a value; the writer escapes it.
  assert.equal(writeArgoYaml({ a: 'x\u007fy' }), lines('a: "x\\x7Fy"'));
});

test('argoYaml: undefined members are left out, as JSON leaves them out', () => {
  assert.equal(writeArgoYaml({ a: undefined, b: 1 }), lines('b: 1'));
  assert.equal(writeArgoYaml({ a: undefined }), lines('{}'));
});

test('argoYaml: every golden input with only strings reads back (YAML 1.1) as the same value', () => {
  for (const c of GOLDEN) {
    if (!['quoting', 'multi-line', 'unicode', 'keys', 'folding'].includes(c.group) || c.name.startsWith('NEL')) continue;
    // The npm parser reads plain `1e999` and impossible dates (`2024-02-30`) as numbers and dates where go-yaml
    // keeps strings, and does not take U+2028 as a line break (YAML 1.2): parser differences, not writer errors.
    if (['numbers as strings', 'timestamps as strings', 'line and paragraph separators'].includes(c.name)) continue;
    const value = JSON.parse(c.json) as unknown;
    assert.deepEqual(parseYaml(writeArgoYaml(value), { version: '1.1' }), value, c.name);
  }
});

test('goKeyOrder: letters after every other character, digit runs by value', () => {
  const keys = ['b', 'a10', 'a9', 'a_b', 'aBc', 'A', '0', '9', '10', 'a.b', 'a-b'];
  assert.deepEqual([...keys].sort(compareGoKeys), ['0', '9', '10', 'A', 'a-b', 'a.b', 'a_b', 'a9', 'a10', 'aBc', 'b']);
});

test('goScalars: what reads back as something other than a string', () => {
  for (const s of ['', 'yes', 'Off', '~', '12', '-1.5e3', '0x1f', '0o7', '2024-01-31', '2024-01-31T00:00:00Z', '1:30', '.5']) assert.equal(resolvesAsNonString(s), true, s);
  for (const s of ['yes!', 'nope', '2024-01-32', '12a', '1e999', 'v1', '.', '-', '+', 'HEAD', '1.2.3']) assert.equal(resolvesAsNonString(s), false, s);
  assert.equal(isGoYamlTimestamp('2024-02-29'), true);
  assert.equal(isGoYamlTimestamp('2023-02-29'), false);
  assert.equal(isGoYamlTimestamp('2024-1-2t3:4:5,5+01:00'), true);
});

test('goScalars: numbers are printed as Go prints them on the JSON -> YAML path', () => {
  assert.equal(formatGoNumber(3), '3');
  assert.equal(formatGoNumber(1e6), '1000000');
  assert.equal(formatGoNumber(1e6 + 0.5), '1.0000005e+06');
  assert.equal(formatGoNumber(0.5), '0.5');
  assert.equal(formatGoNumber(5e-5), '5e-05');
  assert.equal(formatGoNumber(2n ** 62n), '4611686018427387904');
});
