// The real argocd CLI as a benchmark baseline: one measured process run (wall time, CPU time and peak RSS from GNU
// time), for argocd and for the gitops-dr CLI alike, so both carry their start-up and write their output to a file.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ProcessFigure {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  /** Stopped at the cap (ms is then a lower bound). */
  capped?: boolean;
}

const repoRoot = resolve(__dirname, '..', '..', '..');

/** The argocd CLI of the default Argo CD version (built by test/cluster when missing) and that version. */
export async function defaultArgocd(): Promise<{ bin: string; version: string }> {
  const api = (await import(pathToFileURL(join(repoRoot, 'test', 'cluster', 'index.mjs')).href)) as {
    DEFAULT_ARGOCD_VERSION: string;
    ensureArgocd(v: string): Promise<string>;
  };
  return { bin: await api.ensureArgocd(api.DEFAULT_ARGOCD_VERSION), version: api.DEFAULT_ARGOCD_VERSION };
}

/** gitops-dr as users run it: the compiled CLI entry point in a process of its own. */
export function gitopsDrArgv(args: string[]): string[] {
  return [process.execPath, join(repoRoot, 'out', 'src', 'cli', 'main.js'), ...args];
}

/** Runs argv under /usr/bin/time (argv array, no shell); stdout goes to stdoutFile (or is dropped). Past capMs the
 * measured process (not GNU time, so its CPU and peak RSS are still reported) is stopped and the figure is capped. */
export function measure(argv: string[], stdoutFile?: string, capMs?: number): Promise<ProcessFigure & { stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const stats = join(dir, 'time');
  const out = openSync(stdoutFile ?? '/dev/null', 'w', 0o600);
  return new Promise<ProcessFigure & { stderr: string }>((resolvePromise, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', stats, ...argv], {
      stdio: ['ignore', out, 'pipe'],
      env: { ...process.env, HOME: dir },
    });
    let stderr = '';
    let capped = false;
    const started = Date.now();
    const timer = capMs
      ? setTimeout(() => {
          capped = true;
          let measured: number[] = [];
          try {
            measured = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter((p) => p).map(Number);
          } catch {
            /* already gone */
          }
          if (measured.length === 0) child.kill('SIGTERM');
          for (const pid of measured) process.kill(pid, 'SIGTERM');
        }, capMs)
      : undefined;
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      closeSync(out);
      try {
        if (capped) {
          const last = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ');
          const [u, s, rssKb] = last.slice(-3).map(Number) as [number, number, number];
          resolvePromise({ ms: Date.now() - started, cpuMs: (u + s) * 1000, maxRssMb: rssKb / 1024, stderr, capped });
          return;
        }
        if (code !== 0) throw new Error(`${argv.slice(0, 3).join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`);
        const [e, u, s, rssKb] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number];
        resolvePromise({ ms: e * 1000, cpuMs: (u + s) * 1000, maxRssMb: rssKb / 1024, stderr });
      } catch (err) {
        reject(err as Error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
