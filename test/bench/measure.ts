// One measured process for the benchmarks: wall time, its CPU time and peak RSS (GNU time), and optionally the API
// server's CPU over the same interval (from /proc/<pid>/stat of the test cluster). Every side of a comparison
// (gitops-dr, argocd, kubectl, the raw-HTTP floors) is measured this way, so each carries its own start-up.
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessFigure {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  /** Stopped at the cap (ms is then a lower bound). */
  capped?: boolean;
  /** The API server's CPU over the same interval, when its pid was given. */
  serverCpuMs?: number;
}

export interface Measured extends ProcessFigure {
  code: number;
  stderr: string;
  /** The last 20,000 characters of stdout, when it was not sent to a file. */
  stdout: string;
}

export interface MeasureOptions {
  /** Where stdout goes (mode 0600); else its tail is kept in `stdout`. */
  stdoutFile?: string;
  /** A file fed to standard input. */
  stdin?: string;
  /** Past this the measured process is stopped and the figure is capped. */
  capMs?: number;
  /** The API server's pid: its CPU over the interval is reported too. */
  serverPid?: number;
  /** HOME of the measured process (default: a fresh empty directory, so no one's CLI config or cache is read). */
  home?: string;
}

/** utime+stime of a process in ms (clock ticks of 1/100 s on Linux). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs argv under /usr/bin/time (an argv array, never a shell string). A non-zero exit is reported in `code`. */
export function measure(argv: string[], opts: MeasureOptions = {}): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const stats = join(dir, 'time');
  const out = opts.stdoutFile ? openSync(opts.stdoutFile, 'w', 0o600) : undefined;
  const serverBefore = opts.serverPid ? processCpuMs(opts.serverPid) : 0;
  const started = Date.now();
  return new Promise<Measured>((resolvePromise, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', stats, ...argv], {
      stdio: [opts.stdin ? 'pipe' : 'ignore', out ?? 'pipe', 'pipe'],
      env: { ...process.env, HOME: opts.home ?? dir },
    });
    let stderr = '';
    let stdout = '';
    let capped = false;
    const timer = opts.capMs
      ? setTimeout(() => {
          capped = true;
          // Stop the measured process, not GNU time, so time still reports its CPU and peak RSS.
          let measured: number[] = [];
          try {
            measured = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter((p) => p).map(Number);
          } catch {
            /* already gone */
          }
          if (measured.length === 0) child.kill('SIGTERM');
          for (const pid of measured) process.kill(pid, 'SIGTERM');
        }, opts.capMs)
      : undefined;
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    child.stdout?.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-20_000)));
    if (opts.stdin) {
      child.stdin!.on('error', () => undefined); // a process that exits without reading all of it
      createReadStream(opts.stdin).pipe(child.stdin!);
    }
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = Date.now() - started;
      if (out !== undefined) closeSync(out);
      try {
        const serverCpuMs = opts.serverPid ? processCpuMs(opts.serverPid) - serverBefore : undefined;
        // GNU time prints "Command exited with non-zero status N" first when it did; the figures are the last line.
        const f = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        const [e, u, s, rssKb] = f.slice(-4) as [number, number, number, number];
        resolvePromise({
          ms: capped ? wallMs : e * 1000,
          cpuMs: (u + s) * 1000,
          maxRssMb: rssKb / 1024,
          ...(capped ? { capped } : {}),
          ...(serverCpuMs !== undefined ? { serverCpuMs } : {}),
          code: code ?? -1,
          stderr,
          stdout,
        });
      } catch (err) {
        reject(err as Error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** The figure of a run that must have succeeded (or been stopped at its cap); else an error naming what failed. */
export function succeeded(m: Measured, what: string): Measured {
  if (m.code !== 0 && !m.capped) throw new Error(`${what} exited ${m.code}: ${m.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return m;
}
