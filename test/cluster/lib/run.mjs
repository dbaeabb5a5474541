// Runs a program (argv, never a shell string) and collects its output.
import { spawn } from 'node:child_process';

/** Resolves {out, err} on exit 0; rejects with the last lines of stderr otherwise. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, opts);
    let out = '';
    let err = '';
    p.stdout?.on('data', (d) => { out += d; });
    p.stderr?.on('data', (d) => { err += d; opts.onStderr?.(d); });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ out, err }) : reject(new Error(`${cmd} ${args[0]} exited with ${code}${err ? `: ${err.trim().split('\n').slice(-15).join('\n')}` : ''}`))));
  });
}
