#!/usr/bin/env node
// The same extension-host suite through @vscode/test-electron (desktop VS Code, downloaded into .vscode-test/).
// For machines that can download VS Code; offline machines use run.mjs (code-server) instead.
//
//   node test/extension/runner/electron.mjs [--extension DIR] [--tests INDEX_JS] [--workspace DIR]
//                                           [--vscode stable|insiders|1.99.3 | --executable PATH_TO_CODE]
//                                           [--env NAME=VALUE ...]
// Downloads go to ~/.cache/gitops-dr/vscode-test (not into the repository).
// Without a display it re-runs itself under `xvfb-run -a` when that exists.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SUMMARY_MARKER = '[gitops-dr:mocha-summary] ';

const { values: opts } = parseArgs({
  options: {
    extension: { type: 'string', default: REPO_ROOT },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    vscode: { type: 'string', default: 'stable' },
    executable: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
  },
});

function onPath(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((d) => fs.existsSync(path.join(d, cmd)));
}

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.GITOPS_DR_UNDER_XVFB && onPath('xvfb-run')) {
  const child = spawn('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, GITOPS_DR_UNDER_XVFB: '1' } });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  main().then((code) => process.exit(code), (e) => {
    process.stderr.write(`[electron] ${e.stack || e}\n`);
    process.exit(1);
  });
}

async function main() {
  const { runTests } = await import('@vscode/test-electron');
  const extension = path.resolve(opts.extension);
  const tests = path.resolve(opts.tests || path.join(extension, 'out/test/extension/suite/index.js'));
  if (!fs.existsSync(tests)) throw new Error(`no test suite at ${tests} (compile first: npm run compile)`);
  const env = {};
  for (const pair of opts.env) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new Error(`--env expects NAME=VALUE, got ${pair}`);
    env[pair.slice(0, i)] = pair.slice(i + 1);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dr-electron-'));
  const workspace = path.resolve(opts.workspace || path.join(scratch, 'workspace'));
  fs.mkdirSync(workspace, { recursive: true });

  // Take the summary line out of VS Code's forwarded stdout (test-electron writes it through process.stdout.write).
  let summary = null;
  let pending = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop();
    const kept = [];
    for (const l of lines) {
      const at = l.indexOf(SUMMARY_MARKER);
      if (at >= 0) {
        try { summary = JSON.parse(l.slice(at + SUMMARY_MARKER.length)); } catch { /* ignore */ }
      } else kept.push(`${l}\n`);
    }
    return kept.length ? write(kept.join(''), ...rest) : true;
  };

  let code = 0;
  try {
    await runTests({
      version: opts.vscode,
      vscodeExecutablePath: opts.executable ? path.resolve(opts.executable) : undefined,
      cachePath: path.join(process.env.GITOPS_DR_CACHE || path.join(os.homedir(), '.cache', 'gitops-dr'), 'vscode-test'),
      extensionDevelopmentPath: extension,
      extensionTestsPath: tests,
      extensionTestsEnv: env,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome',
        '--skip-release-notes', '--disable-gpu', '--no-sandbox'],
    });
  } catch (e) {
    process.stderr.write(`[electron] ${e.message || e}\n`);
    code = 1;
  } finally {
    if (pending) write(pending);
    process.stdout.write = write;
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (!summary) {
    process.stderr.write('[electron] no mocha summary from the extension host: the suite did not run\n');
    code = 1;
  } else if (summary.failures > 0 || summary.passes === 0) {
    code = 1;
  }
  write(`extension-host: ${summary?.passes ?? 0} passed, ${summary?.failures ?? 0} failed\n`);
  return code;
}
