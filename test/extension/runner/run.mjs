#!/usr/bin/env node
// Runs the extension-host mocha suite inside a real VS Code, offline: code-server (VS Code server + web
// workbench) on 127.0.0.1 and headless Debian Chromium. The suite runs in the server's Node extension host via the
// workbench's test payload; mocha's output reaches us through codeAutomationLog and the exit code through
// codeAutomationExit.
//
//   node test/extension/runner/run.mjs [--extension DIR] [--tests INDEX_JS] [--workspace DIR] [--vscode 4.99.4|latest]
//                                      [--env NAME=VALUE ...] [--timeout MINUTES] [--verbose] [--keep]
import fs from 'node:fs';
import path from 'node:path';
import { format, parseArgs } from 'node:util';
import { ensureRunner, REPO_ROOT } from './lib/setup.mjs';
import { startCodeServer, remoteUri, workbenchUrl } from './lib/codeserver.mjs';
import { launchChromium } from './lib/browser.mjs';
import { exitWith, installSignalHandlers, stoppingSignal, tempDir, timeout } from './lib/processes.mjs';

// index.ts prints START_MARKER before mocha starts (workbench log lines before it are only kept for diagnostics)
// and SUMMARY_MARKER with the mocha stats at the end; the runner turns the latter into the summary line.
const START_MARKER = '[gitops-dr:mocha-start] ';
const SUMMARY_MARKER = '[gitops-dr:mocha-summary] ';
// With GITOPS_DR_MOCHA_MARKERS=1 in the extension host's environment, index.ts prefixes mocha's reporter lines.
const OUTPUT_MARKER = '[gitops-dr:mocha] ';
// Workbench chatter that never explains a failure; left out of the logs shown on failure.
const NOISE = [/^\[AgentHost\]/, /additional builtin extensions/, /^Error: \d+ test\(s\) failed\.$/];

const { values: opts } = parseArgs({
  options: {
    extension: { type: 'string', default: REPO_ROOT },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    vscode: { type: 'string', default: 'default' },
    env: { type: 'string', multiple: true, default: [] },
    timeout: { type: 'string', default: '30' },
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 8).join('\n') + '\n');
  process.exit(0);
}

const say = (m) => process.stderr.write(`[run] ${m}\n`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

async function main() {
  installSignalHandlers();
  const extension = path.resolve(opts.extension);
  const tests = path.resolve(opts.tests || path.join(extension, 'out/test/extension/suite/index.js'));
  if (!fs.existsSync(path.join(extension, 'package.json'))) throw new Error(`no extension manifest: ${extension}/package.json`);
  if (!fs.existsSync(tests)) throw new Error(`no test suite at ${tests} (compile first: npm run compile)`);
  const env = {};
  for (const pair of opts.env) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new Error(`--env expects NAME=VALUE, got ${pair}`);
    env[pair.slice(0, i)] = pair.slice(i + 1);
  }
  const minutes = Number(opts.timeout);
  if (!(minutes > 0)) throw new Error(`--timeout expects minutes, got ${opts.timeout}`);

  const runner = await ensureRunner({ vscode: opts.vscode });
  say(`VS Code via code-server ${runner.version} (${runner.flavour}), runner ready after ${elapsed()}`);
  const workspace = path.resolve(opts.workspace || tempDir('gitops-dr-workspace-', { keep: opts.keep }));
  const serverLines = [];
  const serverStarting = startCodeServer(runner, {
    env: { ...env, GITOPS_DR_MOCHA_MARKERS: '1' },
    stateDir: opts.keep ? tempDir('gitops-dr-vscode-', { keep: true }) : undefined,
    onLine: (l) => {
      serverLines.push(l);
      if (serverLines.length > 300) serverLines.shift();
      if (opts.verbose) process.stderr.write(`[server] ${l}\n`);
    },
  });
  // The browser starts while the server does.
  const [server, { page }] = await Promise.all([serverStarting, launchChromium(runner)]);
  say(`server on ${server.base}, browser up after ${elapsed()}`);

  if (opts.verbose) {
    page.on('console', (m) => process.stderr.write(`[browser] ${m.type()}: ${m.text()}\n`));
    page.on('pageerror', (e) => process.stderr.write(`[browser] pageerror: ${e.message}\n`));
  }

  let summary = null;
  let mochaStarted = false;
  let marked = false; // whether the suite marks its reporter lines (older bootstraps do not)
  const workbenchLines = []; // the log before mocha started
  const duringLines = []; // unmarked lines while mocha ran: the extension's and the workbench's own log
  let skippingStack = false;
  let resolveExit;
  const exitCode = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    for (const l of line.split('\n')) {
      if (l.startsWith(SUMMARY_MARKER)) {
        try { summary = JSON.parse(l.slice(SUMMARY_MARKER.length)); } catch { /* malformed: treated as missing */ }
      } else if (l.startsWith(START_MARKER)) {
        mochaStarted = true;
        say(`mocha started (${l.slice(START_MARKER.length)}) after ${elapsed()}`);
      } else if (l.startsWith(OUTPUT_MARKER)) {
        marked = true;
        process.stdout.write(`${l.slice(OUTPUT_MARKER.length)}\n`);
      } else if (opts.verbose || (mochaStarted && !marked)) {
        process.stdout.write(`${l}\n`);
      } else if (NOISE.some((re) => re.test(l))) {
        skippingStack = true; // and the stack trace that may follow
      } else if (skippingStack && /^\s+at /.test(l)) {
        // part of a noise line's stack
      } else {
        skippingStack = false;
        const keep = mochaStarted ? duringLines : workbenchLines;
        keep.push(`${type}: ${l}`);
        if (keep.length > 300) keep.shift();
      }
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));

  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, extension)],
    ['extensionTestsPath', remoteUri(server, tests)],
    ['skipWelcome', 'true'],
  ];
  await page.goto(workbenchUrl(server, { folder: workspace, payload }), { waitUntil: 'domcontentloaded', timeout: 180_000 });
  say(`workbench loading; running ${path.relative(process.cwd(), tests) || tests}`);

  const serverDied = server.child.exited.then(({ code, signal }) => {
    throw new Error(`VS Code server exited during the run (${signal || `exit ${code}`})`);
  });
  const pageClosed = new Promise((_, reject) => page.on('crash', () => reject(new Error('the workbench page crashed'))));
  let code;
  try {
    code = await Promise.race([exitCode, serverDied, pageClosed,
      timeout(started + minutes * 60_000 - Date.now(), `global timeout: the run did not finish within ${minutes} min`)]);
  } catch (e) {
    if (stoppingSignal()) return new Promise(() => {}); // the signal handler exits
    process.stderr.write(`\n${e.message}\n`);
    dumpDiagnostics(serverLines, workbenchLines);
    printSummary(summary, 1);
    return 1;
  }

  let result = code;
  if (!summary) {
    process.stderr.write('\nno mocha summary from the extension host: the suite did not run (see diagnostics below)\n');
    dumpDiagnostics(serverLines, workbenchLines);
    result = result || 1;
  } else if (summary.tests === 0 || summary.passes + summary.failures === 0) {
    process.stderr.write('\nthe suite ran no tests\n');
    result = result || 1;
  } else if (summary.failures > 0) {
    if (duringLines.length && !opts.verbose) {
      process.stderr.write(`--- log of the extension host and workbench while the suite ran ---\n${duringLines.slice(-60).join('\n')}\n---\n`);
    }
    result = result || 1;
  }
  printSummary(summary, result);
  return result;
}

function printSummary(summary, code) {
  const passed = summary?.passes ?? 0;
  const failed = summary?.failures ?? (code ? 1 : 0);
  say(`finished in ${elapsed()}${summary?.pending ? `, ${summary.pending} pending` : ''}, exit code ${code}`);
  process.stdout.write(`extension-host: ${passed} passed, ${failed} failed\n`);
}

function dumpDiagnostics(serverLines, workbenchLines) {
  if (opts.verbose) return;
  process.stderr.write(`--- last VS Code server lines ---\n${serverLines.slice(-40).join('\n')}\n`);
  process.stderr.write(`--- workbench log before mocha started ---\n${workbenchLines.slice(-40).join('\n')}\n---\n`);
}

// The whole run (install included) is bounded too; the race above reports the suite phase with diagnostics.
const globalTimeout = (Number(opts.timeout) > 0 ? Number(opts.timeout) : 30) * 60_000 + 5_000;
Promise.race([main(), timeout(globalTimeout, `global timeout after ${opts.timeout} min`)]).then((code) => exitWith(code), (e) => {
  if (stoppingSignal()) return; // the signal handler exits
  process.stderr.write(`[run] error: ${opts.verbose ? e.stack : e.message}\n`);
  exitWith(1);
});
