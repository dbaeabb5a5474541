// Worker-thread entry (bundled to dist/lintWorker.js): lints large backups off the extension host's main thread.
// Messages: in { id, request: LintJobRequest }, out { id, result } or { id, error }. No 'vscode' here.
import { parentPort } from 'node:worker_threads';
import { runLintJob, type LintJobRequest } from './lintJob';

parentPort?.on('message', (msg: { id: number; request: LintJobRequest }) => {
  try {
    parentPort!.postMessage({ id: msg.id, result: runLintJob(msg.request) });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).message });
  }
});
