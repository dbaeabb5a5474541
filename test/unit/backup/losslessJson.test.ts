import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { JsonSyntaxError, parseKubeJson } from '../../../src/core/backup/losslessJson';

test('lossless JSON: integers beyond 2^53 that fit int64 become bigint; the rest as JSON.parse', () => {
  const v = parseKubeJson('{"a":9223372036854775807,"b":-9223372036854775808,"c":9223372036854775808,"d":1234567890123456.5,"e":1,"f":"1234567890123456789","g":[true,false,null,{"h":"x\\ny"}]}');
  assert.deepEqual(v, { a: 9223372036854775807n, b: -9223372036854775808n, c: 9223372036854775808, d: 1234567890123456.5, e: 1, f: '1234567890123456789', g: [true, false, null, { h: 'x\ny' }] });
});

test('lossless JSON: safe 16-digit integers stay numbers', () => {
  assert.deepEqual(parseKubeJson('[1234567890123456]'), [1234567890123456]);
});

test('lossless JSON: a "__proto__" key is an ordinary key', () => {
  const v = parseKubeJson('{"__proto__":{"x":1},"n":12345678901234567890}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(v), ['__proto__', 'n']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('lossless JSON: bad input says what and where', () => {
  assert.throws(() => parseKubeJson('{"a":12345678901234567,}'), (e: unknown) => e instanceof JsonSyntaxError && /expected a string key at offset 23/.test(e.message));
  assert.throws(() => parseKubeJson('[12345678901234567,'), JsonSyntaxError);
  assert.throws(() => parseKubeJson('[1234567890123456789,"x'), /unterminated string/);
});

test('lossless JSON: long digit runs inside strings (Git SHAs) keep the fast path and the same result', () => {
  const text = '{"revision":"f34f6a0056c46d0ad989292906208565617301ec","n":[1,2]}';
  assert.deepEqual(parseKubeJson(text), JSON.parse(text));
});
