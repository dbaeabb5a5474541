// Windows in force on 200 AppProjects (the scale scenario's count), each with four windows of different lengths:
// ours (every minute, 24h), a weekday night window (8h), a month-long window and a two-week year-end freeze.
// Ours: the walk that skips whole days and hours that cannot match. Baseline, in the same run: the plain walk over
// every minute of each window's duration. Both must give the same answers.
import { evaluateProject } from '../../src/core/syncWindows/evaluate';
import { ourDenyWindow, type AppProject } from '../../src/core/syncWindows/model';
import { parseCron, parseGoDuration } from '../../src/core/syncWindows/schedule';
import { bestOf, fmtMs, printTable } from './support';

const windows = [
  ourDenyWindow(),
  { kind: 'deny', schedule: '0 22 * * 1-5', duration: '8h', applications: ['*'] },
  { kind: 'allow', schedule: '0 3 1 * *', duration: '720h', applications: ['batch-*'] },
  { kind: 'deny', schedule: '0 0 20 12 *', duration: '336h', namespaces: ['prod-*'] },
];
const projects: AppProject[] = Array.from({ length: 200 }, (_, i) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: `team-${i}` }, spec: { syncWindows: windows } }));
const now = new Date('2025-12-31T23:30:00Z');

/** The obvious implementation: test every minute of (now - duration, now). */
function naiveActive(schedule: string, duration: string, at: Date): boolean {
  const spec = parseCron(schedule);
  const to = at.getTime();
  for (let t = Math.floor((to - parseGoDuration(duration)) / 60_000) * 60_000 + 60_000; t < to; t += 60_000) {
    const d = new Date(t);
    const domStar = spec.domStar || spec.dowStar;
    const dayOk = spec.month.has(d.getUTCMonth() + 1) && (domStar ? spec.dom.has(d.getUTCDate()) && spec.dow.has(d.getUTCDay()) : spec.dom.has(d.getUTCDate()) || spec.dow.has(d.getUTCDay()));
    if (dayOk && spec.hour.has(d.getUTCHours()) && spec.minute.has(d.getUTCMinutes())) return true;
  }
  return false;
}

async function main(): Promise<void> {
  const ours = await bestOf(5, async () => projects.map((p) => evaluateProject(p, now).windows.map((w) => w.active)));
  const base = await bestOf(3, async () => projects.map((p) => (p.spec!.syncWindows ?? []).map((w) => naiveActive(w.schedule!, w.duration!, now))));
  if (JSON.stringify(ours.value) !== JSON.stringify(base.value)) throw new Error(`results differ: ${JSON.stringify(ours.value[0])} vs ${JSON.stringify(base.value[0])}`);
  printTable(`windows in force: ${projects.length} AppProjects x ${windows.length} windows (answers ${JSON.stringify(ours.value[0])})`, [
    ['ours (skip days/hours)', fmtMs(ours.ms)],
    ['baseline (every minute)', fmtMs(base.ms)],
    ['ratio baseline/ours', `${(base.ms / Math.max(ours.ms, 0.001)).toFixed(1)}x`],
  ]);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
