import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceFlag, numberFlag, parseArgs, UsageError } from '../../../src/cli/args';

const specs = [{ name: 'output', short: 'o', value: true }, { name: 'timeout', value: true }, { name: 'kubeconfig', value: true, repeat: true }, { name: 'yes' }];

test('flags: long, short, =value, repeated, and positionals', () => {
  const p = parseArgs(['-o', 'json', '--timeout=3', '--kubeconfig', 'a', '--kubeconfig', 'b', 'file.yaml', '-', '--yes'], specs);
  assert.equal(choiceFlag(p, 'output', ['table', 'json'], 'table'), 'json');
  assert.equal(numberFlag(p, 'timeout'), 3);
  assert.deepEqual(p.flags.kubeconfig, ['a', 'b']);
  assert.deepEqual(p.positional, ['file.yaml', '-']);
  assert.equal(p.flags.yes, true);
});

test('bad input is a UsageError that names the flag', () => {
  assert.throws(() => parseArgs(['--nope'], specs), (e: unknown) => e instanceof UsageError && /unknown option --nope/.test(e.message));
  assert.throws(() => parseArgs(['--timeout'], specs), /option --timeout needs a value/);
  assert.throws(() => parseArgs(['--yes=1'], specs), /option --yes takes no value/);
  assert.throws(() => numberFlag(parseArgs(['--timeout', 'soon'], specs), 'timeout'), /--timeout must be a positive number, got "soon"/);
  assert.throws(() => choiceFlag(parseArgs(['-o', 'yaml'], specs), 'output', ['table', 'json'], 'table'), /--output must be table or json, got "yaml"/);
});
