// Mocha bootstrap of the extension-host suite. VS Code loads the compiled file (out/test/extension/suite/index.js)
// as `extensionTestsPath` and awaits run(); it works the same under the offline runner
// (test/extension/runner/run.mjs, code-server) and under @vscode/test-electron (runner/electron.mjs).
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
// Default import (esModuleInterop): works for CommonJS mocha 11 and for mocha 12, an ES module loaded via require(esm).
import Mocha from 'mocha';

// The offline runner (test/extension/runner/run.mjs) shows the workbench's log only from START_MARKER on and turns
// SUMMARY_MARKER's line into `extension-host: N passed, N failed`; keep the markers in sync with it.
const START_MARKER = '[gitops-dr:mocha-start] ';
const SUMMARY_MARKER = '[gitops-dr:mocha-summary] ';
// With GITOPS_DR_MOCHA_MARKERS=1 (set by run.mjs) every reporter line carries OUTPUT_MARKER, so that the runner can tell
// mocha's output from the workbench's own log, which reaches it through the same channel.
const OUTPUT_MARKER = '[gitops-dr:mocha] ';

function markReporterOutput(): void {
  const base = Mocha.reporters.Base;
  const log = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) log(OUTPUT_MARKER + line);
  };
}

function testFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(root, f))
    .sort();
}

export function run(): Promise<void> {
  if (process.env.GITOPS_DR_MOCHA_MARKERS === '1') markReporterOutput();
  const mocha = new Mocha({
    ui: 'tdd',
    timeout: Number(process.env.MOCHA_TIMEOUT) || 60_000,
    color: !!process.env.FORCE_COLOR,
    reporter: 'spec',
    grep: process.env.MOCHA_GREP || undefined,
  });
  const files = testFiles(__dirname);
  if (files.length === 0) {
    return Promise.reject(new Error(`no *.test.js files under ${__dirname}`));
  }
  files.forEach((f) => mocha.addFile(f));
  console.log(`${START_MARKER}${files.length} test file(s)`);

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const s = runner.stats;
        console.log(SUMMARY_MARKER + JSON.stringify({
          tests: s?.tests ?? 0,
          passes: s?.passes ?? 0,
          failures,
          pending: s?.pending ?? 0,
        }));
        if (failures > 0) {
          reject(new Error(`${failures} test(s) failed.`));
        } else {
          resolve();
        }
      });
    } catch (err) {
      // A test file that does not load (syntax error, missing module) lands here.
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
