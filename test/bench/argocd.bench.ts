// The real argocd CLI (default Argo CD version of test/cluster) as the baseline, on the `scale` scenario
// (5,000 Applications, 201 AppProjects, 500 Secrets), each side a CLI process of its own with its peak RSS:
//   - `gitops-dr backup -o FILE` against `argocd admin export > FILE` (interleaved; one warm-up, best of 3);
//   - `gitops-dr restore FILE --apply` against `argocd admin import FILE`, each into an empty namespace holding
//     only an argocd-cmd-params-cm (Argo CD needs one there), once each.
// The outputs are checked to be the same bytes / the same objects, so the figures compare the same work.
// gitops-dr gets a 300 s request timeout (argocd has none): on a loaded machine a list page can take over 10 s.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_MAP } from '../../src/core/objects/resources';
import type { KubeObject } from '../../src/core/objects/kubeObject';
import { scenario } from '../integration/support/clusters';
import { argoObjects, clientFor, createNamespace, freshName, removeNamespace } from '../integration/restore/support';
import { defaultArgocd, gitopsDrArgv, measure, type ProcessFigure } from './argocd';
import { fmtMs, printTable } from './support';

const NAMESPACE = 'argocd';
/** How long argocd admin import may run (seconds; it writes one object at a time); past it it is reported as "more than". */
const CAP_MS = (Number(process.env.ARGOCD_BENCH_CAP_SECONDS) || 20 * 60) * 1000;

const fig = (f: ProcessFigure): string => `${f.capped ? '> ' : ''}${fmtMs(f.ms)}  cpu ${fmtMs(f.cpuMs)}  peak RSS ${f.maxRssMb.toFixed(0)} MB`;
const ratio = (a: ProcessFigure, b: ProcessFigure): string => `${b.capped ? '< ' : ''}${(a.ms / b.ms).toFixed(2)}x time, ${(a.maxRssMb / b.maxRssMb).toFixed(2)}x peak RSS`;

async function main(): Promise<void> {
  const { bin, version } = await defaultArgocd();
  const s = await scenario('scale');
  const context = s.clusters[0]!.name;
  const kube = ['--kubeconfig', s.kubeconfig, '--context', context];
  const dir = mkdtempSync(join(tmpdir(), 'bench-argocd-'));
  const oursFile = join(dir, 'ours.yaml');
  const theirsFile = join(dir, 'theirs.yaml');
  let ours: ProcessFigure | undefined;
  let theirs: ProcessFigure | undefined;
  const best = (b: ProcessFigure | undefined, r: ProcessFigure): ProcessFigure => (!b || r.ms < b.ms ? { ...r, maxRssMb: Math.max(r.maxRssMb, b?.maxRssMb ?? 0) } : { ...b, maxRssMb: Math.max(r.maxRssMb, b.maxRssMb) });
  for (let round = 0; round <= 3; round++) {
    const o = await measure(gitopsDrArgv(['backup', ...kube, '--timeout', '300', '-n', NAMESPACE, '-o', oursFile]));
    const t = await measure([bin, 'admin', 'export', ...kube, '-n', NAMESPACE], theirsFile);
    if (round === 0) continue;
    ours = best(ours, o);
    theirs = best(theirs, t);
  }
  const backup = readFileSync(theirsFile);
  if (!backup.equals(readFileSync(oursFile))) throw new Error('gitops-dr backup and argocd admin export wrote different bytes: the figures would not compare the same work');
  printTable(`backup of the scale scenario against argocd ${version} admin export (${(statSync(theirsFile).size / 1024 / 1024).toFixed(1)} MB, identical bytes), best of 3 interleaved; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`, [
    ['gitops-dr backup -o FILE', fig(ours!)],
    [`argocd admin export > FILE`, fig(theirs!)],
    ['ours / argocd', ratio(ours!, theirs!)],
  ]);

  const client = await clientFor(s, context, 120_000);
  const targets = [freshName('bench-ours'), freshName('bench-argocd')];
  try {
    for (const ns of targets) {
      await createNamespace(client, ns);
      await client.create(CONFIG_MAP, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cmd-params-cm', namespace: ns }, data: {} } as KubeObject);
    }
    writeFileSync(join(dir, 'backup.yaml'), backup, { mode: 0o600 });
    const file = join(dir, 'backup.yaml');
    const restoreOurs = await measure(gitopsDrArgv(['restore', file, ...kube, '--timeout', '300', '-n', targets[0]!, '--apply']));
    const restoreTheirs = await measure([bin, 'admin', 'import', file, ...kube, '-n', targets[1]!], undefined, CAP_MS);
    const [a, b] = [await argoObjects(client, targets[0]!), await argoObjects(client, targets[1]!)];
    if (!restoreTheirs.capped && a.join('\n') !== b.join('\n')) throw new Error(`the two restores left different objects (${a.length} vs ${b.length})`);
    const same = restoreTheirs.capped ? `argocd stopped at the ${CAP_MS / 1000} s cap with ${b.length} written` : 'the same on both sides';
    printTable(`restore of that backup into an empty namespace (${a.length} objects afterwards, ${same}), once each`, [
      ['gitops-dr restore FILE --apply', fig(restoreOurs)],
      [`argocd admin import FILE`, fig(restoreTheirs)],
      ['ours / argocd', ratio(restoreOurs, restoreTheirs)],
    ]);
  } finally {
    for (const ns of targets) await removeNamespace(client, ns);
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
