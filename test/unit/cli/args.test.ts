import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceFlag, numberFlag, parseArgs, UsageError } from '../../../src/cli/args';
import { EXIT } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/main';
import { captureIO } from '../../integration/support/cliIO';

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

test('every malformed flag use is refused with the flag named, and nothing is guessed', () => {
  const refused: Array<[string[], RegExp]> = [
    [['--nope=1'], /^unknown option --nope$/],
    [['-x'], /^unknown option -x$/],
    [['-5'], /^unknown option -5$/],
    [['file.yaml', '--timeout'], /^option --timeout needs a value$/], // the last word
    [['--timeout', '--yes'], /^option --timeout needs a value$/], // the next word is a flag, not a value
    [['-o', '-x'], /^option --output needs a value$/],
    [['--kubeconfig', 'a', '--kubeconfig'], /^option --kubeconfig needs a value$/],
    [['--yes='], /^option --yes takes no value$/],
  ];
  for (const [args, message] of refused) {
    assert.throws(() => parseArgs(args, specs), (e: unknown) => e instanceof UsageError && message.test(e.message), args.join(' '));
  }
});

test('values that only look odd are kept: "-" (stdin), =values with dashes, empty =value, -o=json, and all after --', () => {
  const p = parseArgs(['-', '--timeout=-1', '-o=json', '--kubeconfig=', '--', '--yes', '-o'], specs);
  assert.deepEqual(p.positional, ['-', '--yes', '-o']);
  assert.equal(p.flags.timeout, '-1');
  assert.equal(p.flags.output, 'json');
  assert.deepEqual(p.flags.kubeconfig, ['']);
  assert.equal(p.flags.yes, undefined);
  assert.throws(() => numberFlag(p, 'timeout'), /--timeout must be a positive number, got "-1"/);
  // A flag given twice that is not repeatable: the last one counts.
  assert.equal(parseArgs(['-o', 'table', '--output', 'json'], specs).flags.output, 'json');
});

test('cli: a bad flag exits 2 with the message and the command usage on stderr, nothing on stdout', async () => {
  for (const [args, message] of [
    [['lint', '--frob'], /gitops-dr lint: unknown option --frob\n/],
    [['backup', '--context'], /gitops-dr backup: option --context needs a value\n/],
    [['agents', '-o', 'yaml'], /gitops-dr agents: --output must be table or json, got "yaml"\n/],
  ] as Array<[string[], RegExp]>) {
    const io = captureIO('');
    assert.equal(await runCli(args, io), EXIT.usage, args.join(' '));
    assert.match(io.err(), message);
    assert.match(io.err(), /usage: gitops-dr /);
    assert.equal(io.out(), '');
  }
});
