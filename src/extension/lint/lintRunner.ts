// Runs lint jobs: small texts in-process (a few ms), large ones on a worker thread so the extension host stays
// responsive while a 10,000-document backup is linted. Falls back to in-process when the worker is unavailable.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runLintJob, type LintJobRequest, type LintJobResult } from './lintJob';

/** Texts at least this long go to the worker (about 500 Applications). */
const WORKER_THRESHOLD_CHARS = 256 * 1024;

export class LintRunner {
  private worker: Worker | undefined;
  private workerBroken = false;
  private nextId = 1;
  private pending = new Map<number, { resolve(r: LintJobResult): void; reject(e: Error): void }>();

  constructor(
    private readonly workerScript: string,
    private readonly onLog: (message: string) => void,
  ) {}

  async run(request: LintJobRequest): Promise<LintJobResult> {
    if (request.text.length >= WORKER_THRESHOLD_CHARS) {
      const worker = this.ensureWorker();
      if (worker) {
        try {
          return await this.post(worker, request);
        } catch (e) {
          this.onLog(`lint: worker failed (${(e as Error).message}); linting in the extension host instead`);
        }
      }
    }
    // Yield once so a burst of events does not lint synchronously inside the event handler.
    await new Promise((r) => setImmediate(r));
    return runLintJob(request);
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.workerBroken) return this.worker;
    if (!fs.existsSync(this.workerScript)) {
      this.workerBroken = true;
      return undefined;
    }
    try {
      const w = new Worker(this.workerScript);
      w.unref();
      w.on('message', (msg: { id: number; result?: LintJobResult; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.result) p.resolve(msg.result);
        else p.reject(new Error(msg.error ?? 'no result'));
      });
      const fail = (e: Error) => {
        this.workerBroken = true;
        this.worker = undefined;
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      };
      w.on('error', fail);
      w.on('exit', (code) => code !== 0 && fail(new Error(`worker exited with code ${code}`)));
      this.worker = w;
      return w;
    } catch (e) {
      this.workerBroken = true;
      this.onLog(`lint: cannot start the worker thread: ${(e as Error).message}`);
      return undefined;
    }
  }

  private post(worker: Worker, request: LintJobRequest): Promise<LintJobResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    this.workerBroken = true;
    for (const p of this.pending.values()) p.reject(new Error('disposed'));
    this.pending.clear();
    if (w) void w.terminate();
  }
}

/** dist/lintWorker.js beside the bundled extension. */
export function defaultWorkerScript(extensionDir: string): string {
  return path.join(extensionDir, 'dist', 'lintWorker.js');
}
