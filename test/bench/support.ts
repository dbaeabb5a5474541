// Small helpers for benchmarks: timing, peak RSS, and the result table with ratios.
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** Best of N runs (after one warm-up when warm is set): benchmarks report the floor, not the noise. */
export async function bestOf<T>(n: number, fn: () => Promise<T>, warm = true): Promise<{ ms: number; value: T }> {
  if (warm) await fn();
  let best: { ms: number; value: T } | undefined;
  for (let i = 0; i < n; i++) {
    const r = await timed(fn);
    if (!best || r.ms < best.ms) best = r;
  }
  return best!;
}

export function printTable(title: string, rows: Array<[string, string]>): void {
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(title);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
