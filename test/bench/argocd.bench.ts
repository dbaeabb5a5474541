// The real argocd CLI (default Argo CD version of test/cluster) as the baseline, on the `scale` scenario
// (5,000 Applications, 201 AppProjects, 500 Secrets), beside the kubectl and raw-HTTP baselines of backup.bench.ts and
// restore.bench.ts, all in the same run; each side a process of its own (measure.ts: wall, CPU, peak RSS, and the API
// server's CPU over the same interval):
//   - backup: `gitops-dr backup -o FILE`, `argocd admin export > FILE`, `kubectl get <same kinds> -o yaml`, and the
//     raw-HTTP list floor (rawListClient.ts), interleaved; one warm-up round, best of 3 (ARGOCD_BENCH_ROUNDS);
//   - restore into an empty namespace holding only an argocd-cmd-params-cm (Argo CD needs one there), once each:
//     `gitops-dr restore FILE --apply`, `argocd admin import FILE`, the floor (floorClient.ts: our create bodies,
//     POSTed by a minimal concurrent client), and `kubectl apply -f FILE`.
// The outputs are checked to be the same bytes / the same objects, so the figures compare the same work.
// gitops-dr gets a 300 s request timeout (argocd has none): on a loaded machine a list page can take over 10 s.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenario } from '../integration/support/clusters';
import { argoObjects, clientFor } from '../integration/restore/support';
import { defaultArgocd, gitopsDrArgv } from './argocd';
import { kubectlGetArgv, rawListArgv } from './backupBaselines';
import { measure, succeeded, type ProcessFigure } from './measure';
import { FLOOR_CONCURRENCY, dropNamespace, floorArgv, floorBodies, floorFailures, kubectlApplyArgv, serverPidOf, targetNamespace } from './restoreBaselines';
import { fmtMs, printTable } from './support';

const NAMESPACE = 'argocd';
/** How long a baseline restore may run (seconds; argocd and kubectl write one object at a time); past it it is reported as "more than". */
const CAP_MS = (Number(process.env.ARGOCD_BENCH_CAP_SECONDS) || 20 * 60) * 1000;
/** Measured backup rounds after the warm-up (best of them is reported); fewer on a machine too busy for 3. */
const ROUNDS = Number(process.env.ARGOCD_BENCH_ROUNDS) || 3;

const fig = (f: ProcessFigure): string =>
  `${f.capped ? '> ' : ''}${fmtMs(f.ms)}  cpu ${fmtMs(f.cpuMs)}  server cpu ${f.serverCpuMs === undefined ? '?' : fmtMs(f.serverCpuMs)}  peak RSS ${f.maxRssMb.toFixed(0)} MB`;
const ratio = (a: ProcessFigure, b: ProcessFigure): string => `${b.capped ? '< ' : ''}${(a.ms / b.ms).toFixed(2)}x time, ${(a.maxRssMb / b.maxRssMb).toFixed(2)}x peak RSS`;
/** Keeps the fastest run, and the highest peak RSS seen over all runs. */
const best = (b: ProcessFigure | undefined, r: ProcessFigure): ProcessFigure => ({ ...(!b || r.ms < b.ms ? r : b), maxRssMb: Math.max(r.maxRssMb, b?.maxRssMb ?? 0) });
const load = (): string => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`;

async function main(): Promise<void> {
  const { bin, version } = await defaultArgocd();
  const s = await scenario('scale');
  const context = s.clusters[0]!.name;
  const serverPid = await serverPidOf('scale', context);
  const kube = ['--kubeconfig', s.kubeconfig, '--context', context];
  const dir = mkdtempSync(join(tmpdir(), 'bench-argocd-'));
  const oursFile = join(dir, 'ours.yaml');
  const theirsFile = join(dir, 'theirs.yaml');
  const kubectlFile = join(dir, 'kubectl.yaml');
  // kubectl keeps its discovery cache over the rounds (filled by the warm-up), as a user's would be.
  const kubectlHome = join(dir, 'kubectl-home');
  mkdirSync(kubectlHome);
  const f: Record<'ours' | 'theirs' | 'kubectl' | 'raw', ProcessFigure | undefined> = { ours: undefined, theirs: undefined, kubectl: undefined, raw: undefined };
  const loadBefore = load();
  for (let round = 0; round <= ROUNDS; round++) {
    const r = succeeded(await measure(rawListArgv(s.kubeconfig, context, NAMESPACE), { serverPid }), 'the raw list floor');
    const o = succeeded(await measure(gitopsDrArgv(['backup', ...kube, '--timeout', '300', '-n', NAMESPACE, '-o', oursFile]), { serverPid }), 'gitops-dr backup');
    const t = succeeded(await measure([bin, 'admin', 'export', ...kube, '-n', NAMESPACE], { stdoutFile: theirsFile, serverPid }), 'argocd admin export');
    const k = succeeded(await measure(kubectlGetArgv(s.kubeconfig, context, NAMESPACE), { stdoutFile: kubectlFile, serverPid, home: kubectlHome }), 'kubectl get');
    if (round === 0) continue;
    f.raw = best(f.raw, r);
    f.ours = best(f.ours, o);
    f.theirs = best(f.theirs, t);
    f.kubectl = best(f.kubectl, k);
  }
  const { ours, theirs, kubectl, raw } = f as Record<keyof typeof f, ProcessFigure>;
  const backup = readFileSync(theirsFile);
  if (!backup.equals(readFileSync(oursFile))) throw new Error('gitops-dr backup and argocd admin export wrote different bytes: the figures would not compare the same work');
  const mb = (file: string): string => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
  printTable(`backup of the scale scenario against argocd ${version} admin export (${mb(theirsFile)}, identical bytes), best of ${ROUNDS} interleaved, whole processes; ${loadBefore} before, ${load()} after`, [
    ['gitops-dr backup -o FILE', fig(ours)],
    ['argocd admin export > FILE', fig(theirs)],
    [`kubectl get <same kinds> -o yaml --chunk-size 500 (${mb(kubectlFile)})`, fig(kubectl)],
    ['raw HTTP list, same pages, bodies dropped (floor)', fig(raw)],
    ['ours / argocd', ratio(ours, theirs)],
    ['ours / kubectl', ratio(ours, kubectl)],
    ['ours / raw floor', ratio(ours, raw)],
  ]);

  const client = await clientFor(s, context, 120_000);
  const targets: string[] = [];
  try {
    const fresh = async (prefix: string): Promise<string> => {
      const ns = await targetNamespace(client, prefix, undefined);
      targets.push(ns);
      return ns;
    };
    const file = join(dir, 'backup.yaml');
    writeFileSync(file, backup, { mode: 0o600 });
    const loadRestore = load();
    const floorNs = await fresh('bench-floor');
    const bodies = join(dir, 'floor.jsonl');
    const creates = await floorBodies(client, backup.toString('utf8'), floorNs, bodies);
    const floor = succeeded(await measure(floorArgv(bodies, s.kubeconfig, context), { serverPid }), 'the floor');
    const floorFailed = floorFailures(floor.stdout);
    const oursNs = await fresh('bench-ours');
    const restoreOurs = succeeded(await measure(gitopsDrArgv(['restore', file, ...kube, '--timeout', '300', '-n', oursNs, '--apply']), { serverPid }), 'gitops-dr restore --apply');
    const theirsNs = await fresh('bench-argocd');
    const restoreTheirs = succeeded(await measure([bin, 'admin', 'import', file, ...kube, '-n', theirsNs], { capMs: CAP_MS, serverPid }), 'argocd admin import');
    const kubectlNs = await fresh('bench-kubectl');
    const restoreKubectl = succeeded(await measure(kubectlApplyArgv(s.kubeconfig, context, kubectlNs, file), { capMs: CAP_MS, serverPid, home: kubectlHome }), 'kubectl apply');
    const [a, b, k] = [await argoObjects(client, oursNs), await argoObjects(client, theirsNs), await argoObjects(client, kubectlNs)];
    if (!restoreTheirs.capped && a.join('\n') !== b.join('\n')) throw new Error(`the two restores left different objects (${a.length} vs ${b.length})`);
    if (!restoreKubectl.capped && a.join('\n') !== k.join('\n')) throw new Error(`kubectl apply left different objects (${k.length} vs ${a.length})`);
    const same = restoreTheirs.capped ? `argocd stopped at the ${CAP_MS / 1000} s cap with ${b.length} written` : 'the same on every side';
    printTable(`restore of that backup into an empty namespace (${a.length} objects afterwards, ${same}), once each; ${loadRestore} before, ${load()} after`, [
      ['gitops-dr restore FILE --apply', fig(restoreOurs)],
      [`argocd admin import FILE`, fig(restoreTheirs)],
      [`floor: ${creates} POSTs, ${FLOOR_CONCURRENCY} in flight${floorFailed ? ` (${floorFailed} answers not 2xx)` : ''}`, fig(floor)],
      [`kubectl apply -f FILE${restoreKubectl.capped ? ` (stopped, ${k.length} written)` : ''}`, fig(restoreKubectl)],
      ['ours / argocd', `${ratio(restoreOurs, restoreTheirs)} (${(restoreTheirs.ms / restoreOurs.ms).toFixed(1)}x faster${restoreTheirs.capped ? ', at least' : ''})`],
      ['ours / floor', ratio(restoreOurs, floor)],
      ['ours / kubectl', `${ratio(restoreOurs, restoreKubectl)} (${(restoreKubectl.ms / restoreOurs.ms).toFixed(1)}x faster${restoreKubectl.capped ? ', at least' : ''})`],
    ]);
  } finally {
    for (const ns of targets) await dropNamespace(client, ns);
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`argocd benchmark failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
