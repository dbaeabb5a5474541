// Backup of the `scale` scenario (5,000 Applications, 200 AppProjects, 500 Secrets) against, in the same run:
//   - `kubectl get` of the same kinds with `-o yaml` (kubectl pages by 500 too), output to a file;
//   - a raw HTTP list of the same objects, same page size, bodies read and dropped (the floor).
// Goals: no slower than kubectl, within 1.5x of the raw floor, peak RSS under 250 MB.
// Each figure is measured in a child process of its own (peak RSS is per process); the three are interleaved
// (raw, ours, kubectl; one warm-up round, then best of 3) so that load from elsewhere hits them alike. CPU time of
// ours and of the floor is printed too: on a busy machine it is the steadier figure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../../src/core/kube/kubeconfig';
import { KubeClient } from '../../src/core/kube/client';
import { exportBackup, formatCounts, saveBackupFile, type BackupResult } from '../../src/core/backup';
import { scenario } from '../integration/support/clusters';
import { BACKUP_PAGE, kubectlGetArgv, rawListArgv } from './backupBaselines';
import { measure, succeeded } from './measure';
import { fmtMs, printTable } from './support';

const NAMESPACE = 'argocd';
const PAGE = BACKUP_PAGE;

interface ChildFigure {
  ms: number;
  /** User + system CPU time of the measured part. */
  cpuMs?: number;
  maxRssMb: number;
  bytes: number;
  detail?: string;
}

async function clientFor(kubeconfig: string, context: string): Promise<KubeClient> {
  return KubeClient.forContext(await loadKubeconfig([kubeconfig]), context, { timeoutMs: 60_000 });
}

/** Our backup, written to a real file as the CLI does. */
async function childOurs(kubeconfig: string, context: string): Promise<ChildFigure> {
  const client = await clientFor(kubeconfig, context);
  const dir = mkdtempSync(join(tmpdir(), 'bench-backup-'));
  const file = join(dir, 'scale.backup.yaml');
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result: BackupResult = await saveBackupFile(file, (sink) => exportBackup(client, { namespace: NAMESPACE, pageSize: PAGE }, sink));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  const bytes = statSync(file).size;
  rmSync(dir, { recursive: true, force: true });
  client.close();
  return { ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes, detail: formatCounts(result.counts) };
}

function runChild(kubeconfig: string, context: string): ChildFigure {
  const r = spawnSync(process.execPath, [__filename, '--child=ours', kubeconfig, context], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`ours child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildFigure;
}

/** The floor (rawListClient.ts): its own figures of the listing, start-up excluded like ours. */
function runRaw(kubeconfig: string, context: string): ChildFigure {
  const [node, ...args] = rawListArgv(kubeconfig, context, NAMESPACE);
  const r = spawnSync(node!, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`raw list client failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildFigure;
}

async function runKubectl(kubeconfig: string, context: string, home: string): Promise<ChildFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-kubectl-'));
  const out = join(dir, 'kubectl.yaml');
  // Its own HOME, kept over the rounds: the warm-up fills kubectl's discovery cache as a user's would be.
  const m = succeeded(await measure(kubectlGetArgv(kubeconfig, context, NAMESPACE), { stdoutFile: out, home }), 'kubectl get');
  const bytes = statSync(out).size;
  rmSync(dir, { recursive: true, force: true });
  return { ms: m.ms, cpuMs: m.cpuMs, maxRssMb: m.maxRssMb, bytes };
}

/** Keeps the fastest run, and the highest peak RSS seen over all runs. */
function keepBest(b: ChildFigure | undefined, r: ChildFigure): ChildFigure {
  const peak = Math.max(r.maxRssMb, b?.maxRssMb ?? 0);
  return !b || r.ms < b.ms ? { ...r, maxRssMb: peak } : { ...b, maxRssMb: peak };
}

async function main(): Promise<void> {
  const child = process.argv.find((a) => a.startsWith('--child='))?.slice(8);
  if (child) {
    const [kubeconfig, context] = process.argv.slice(3) as [string, string];
    console.log(JSON.stringify(await childOurs(kubeconfig, context)));
    return;
  }
  const s = await scenario('scale');
  const context = s.clusters[0]!.name;
  let ours: ChildFigure | undefined;
  let raw: ChildFigure | undefined;
  let kubectl: ChildFigure | undefined;
  const kubectlHome = mkdtempSync(join(tmpdir(), 'bench-kubectl-home-'));
  for (let round = 0; round <= 3; round++) {
    const r = runRaw(s.kubeconfig, context);
    const o = runChild(s.kubeconfig, context);
    const k = await runKubectl(s.kubeconfig, context, kubectlHome);
    if (round === 0) continue; // warm-up: server caches, page cache
    raw = keepBest(raw, r);
    ours = keepBest(ours, o);
    kubectl = keepBest(kubectl, k);
  }
  rmSync(kubectlHome, { recursive: true, force: true });
  if (!ours || !raw || !kubectl) throw new Error('no measurement');
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
  printTable(`backup of the scale scenario (5,000 Applications, 201 AppProjects, 500 Secrets), best of 3 interleaved runs; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`, [
    ['gitops-dr backup (native, file written, mode 0600)', `${fmtMs(ours.ms)}  cpu ${fmtMs(ours.cpuMs ?? NaN)}  peak RSS ${ours.maxRssMb.toFixed(0)} MB  ${mb(ours.bytes)}  (${ours.detail})`],
    ['kubectl get <same kinds> -o yaml --chunk-size 500', `${fmtMs(kubectl.ms)}  cpu ${fmtMs(kubectl.cpuMs ?? NaN)}  peak RSS ${kubectl.maxRssMb.toFixed(0)} MB  ${mb(kubectl.bytes)}  (whole process)`],
    ['raw HTTP list, same pages (floor)', `${fmtMs(raw.ms)}  cpu ${fmtMs(raw.cpuMs ?? NaN)}  peak RSS ${raw.maxRssMb.toFixed(0)} MB  ${mb(raw.bytes)} JSON`],
    ['ours / kubectl (goal <= 1.0)', `${(ours.ms / kubectl.ms).toFixed(2)}x -> ${ours.ms <= kubectl.ms ? 'met' : 'MISSED'}`],
    ['ours / raw floor (goal <= 1.5)', `${(ours.ms / raw.ms).toFixed(2)}x -> ${ours.ms <= 1.5 * raw.ms ? 'met' : 'MISSED'}`],
    ['peak RSS (goal < 250 MB)', `${ours.maxRssMb.toFixed(0)} MB -> ${ours.maxRssMb < 250 ? 'met' : 'MISSED'}`],
  ]);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
