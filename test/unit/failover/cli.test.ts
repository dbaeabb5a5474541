import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { captureIO } from '../../integration/support/cliIO';

describe('gitops-dr failover / sync-windows: bad input is refused before any cluster is touched', () => {
  let dir: string;
  const env = { HOME: '/nonexistent', KUBECONFIG: '/nonexistent/kubeconfig' };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-failover-cli-'));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n');
    fs.writeFileSync(path.join(dir, 'empty.yaml'), '---\n');
    fs.writeFileSync(path.join(dir, 'odd.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    const io = { ...captureIO('', { ...env, ...extraEnv }), cwd: dir };
    const code = await runCli(args, io);
    return { code, out: (io as ReturnType<typeof captureIO>).out(), err: (io as ReturnType<typeof captureIO>).err() };
  }

  test('failover needs --agent and --to, and a known step', async () => {
    assert.match((await run(['failover'])).err, /--agent is required/);
    const noTo = await run(['failover', '--agent', 'dragent']);
    assert.equal(noTo.code, 2);
    assert.match(noTo.err, /--to is required/);
    const step = await run(['failover', '--agent', 'dragent', '--to', 'west', '--from-step', 'nope']);
    assert.equal(step.code, 2);
    assert.match(step.err, /--from-step must be one of block-old, restore, switch-primary, allow-new, verify, got "nope"/);
    assert.match((await run(['failover', '--agent', 'a', '--to', 'b', '--frobnicate'])).err, /unknown option --frobnicate/);
  });

  test('a backup that cannot be read or parsed is refused with file:line:col', async () => {
    const missing = await run(['failover', '--agent', 'dragent', '--to', 'west', '--backup', 'missing.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read the backup missing.yaml: no such file/);
    const bad = await run(['failover', '--agent', 'dragent', '--to', 'west', '--backup', 'bad.yaml']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /the backup cannot be restored:\n {2}bad\.yaml:\d+:\d+: /);
    const empty = await run(['failover', '--agent', 'dragent', '--to', 'west', '--backup', 'empty.yaml']);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /empty/i);
    const odd = await run(['failover', '--agent', 'dragent', '--to', 'west', '--backup', 'odd.yaml']);
    assert.equal(odd.code, 2);
    assert.match(odd.err, /odd\.yaml:2:7: Pod \(v1\) is not a kind a restore handles/);
    const notFile = await run(['failover', '--agent', 'dragent', '--to', 'west', '--backup', '.']);
    assert.match(notFile.err, /is not a file/);
  });

  test('a malformed HARNESS_API_KEY is refused without echoing it', async () => {
    const key = 'pat.abc def.SECRET';
    const r = await run(['failover', '--agent', 'dragent', '--to', 'west'], { HARNESS_API_KEY: key });
    assert.equal(r.code, 2);
    assert.match(r.err, /the Harness API key holds spaces/);
    assert.ok(!r.err.includes('SECRET') && !r.out.includes('SECRET'));
    const url = await run(['failover', '--agent', 'dragent', '--to', 'west', '--harness-url', 'not a url'], { HARNESS_API_KEY: 'pat.x.y' });
    assert.equal(url.code, 2);
    assert.match(url.err, /base URL "not a url" is not a URL/);
  });

  test('sync-windows needs an action and a context', async () => {
    assert.match((await run(['sync-windows'])).err, /name an action: list, block or allow/);
    const frob = await run(['sync-windows', 'frob', '--context', 'east']);
    assert.equal(frob.code, 2);
    assert.match(frob.err, /unknown action "frob"/);
    const noCtx = await run(['sync-windows', 'block']);
    assert.equal(noCtx.code, 2);
    assert.match(noCtx.err, /--context is required/);
    assert.match((await run(['sync-windows', 'list', '--context', 'east', '-o', 'xml'])).err, /-o must be text or json/);
  });
});
