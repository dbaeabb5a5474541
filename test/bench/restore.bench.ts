// Benchmark: the `scale` scenario's backup (5,000 Applications, 200 AppProjects, 500 Secrets) restored into empty
// namespaces in the same run by: our CLI (`gitops-dr restore --apply`), the floor (floorClient.ts: the same create
// bodies POSTed by a minimal concurrent client, no planning or checks), and Argo CD's own `argocd admin import`
// when its binary is in ~/.cache/gitops-dr/argocd/<version>/ (else `kubectl apply -f`). Then, against the fully
// restored namespace: our plan (`gitops-dr restore` without --apply), `argocd admin import --dry-run`, and our
// backup of that namespace. Every measure is its own process: wall time, its CPU, its peak RSS, and the API
// server's CPU over the same interval (from /proc/<pid>/stat of the test cluster). Exits non-zero only on errors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_MAP } from '../../src/core/objects/resources';
import { CMD_PARAMS_CONFIG_MAP } from '../../src/core/argo/argoFacts';
import { readBackup } from '../../src/core/yaml/readBackup';
import { scenario } from '../integration/support/clusters';
import { argoObjects, backupText, clientFor } from '../integration/restore/support';
import { gitopsDrArgv } from './argocd';
import { measure, succeeded, type Measured } from './measure';
import { FLOOR_CONCURRENCY, dropNamespace, floorArgv, floorBodies, floorFailures, kubectlApplyArgv, serverPidOf, targetNamespace } from './restoreBaselines';

/** How long a baseline may run (seconds); past it it is reported as "more than" with the objects it wrote. */
const CAP_MS = (Number(process.env.RESTORE_BENCH_CAP_SECONDS) || 20 * 60) * 1000;

/** Argo CD's CLI built by the harness (newest version first), if there is one. */
function argocdBinary(): string | undefined {
  const root = path.join(os.homedir(), '.cache', 'gitops-dr', 'argocd');
  let versions: string[] = [];
  try {
    versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'argocd')));
  } catch {
    return undefined;
  }
  const key = (v: string): number[] => v.replace(/^v/, '').split('.').map((n) => Number(n) || 0);
  versions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
    return 0;
  });
  return versions[0] ? path.join(root, versions[0], 'argocd') : undefined;
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const s = await scenario('scale');
  const serverPid = await serverPidOf('scale', 'bench');
  const client = await clientFor(s, 'bench', 120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-bench-'));
  const file = path.join(dir, 'scale.backup.yaml');
  const kube = ['--kubeconfig', s.kubeconfig, '--context', 'bench'];
  const argocd = argocdBinary();
  const namespaces: string[] = [];
  try {
    const { text } = await backupText(client, 'argocd');
    fs.writeFileSync(file, text, { mode: 0o600 });
    const objects = readBackup(text).documents.filter((d) => d.object).length;
    const cmdParams = await client.get(CONFIG_MAP, 'argocd', CMD_PARAMS_CONFIG_MAP);
    const fresh = async (prefix: string): Promise<string> => {
      const ns = await targetNamespace(client, prefix, cmdParams);
      namespaces.push(ns);
      return ns;
    };

    // The floor first (its bodies are planned here, outside the measure), then ours, then Argo CD's.
    const floorNs = await fresh('bench-floor');
    const bodies = path.join(dir, 'floor.jsonl');
    const creates = await floorBodies(client, text, floorNs, bodies);
    const floor = succeeded(await measure(floorArgv(bodies, s.kubeconfig, 'bench'), { serverPid }), 'the floor');
    const floorFailed = floorFailures(floor.stdout);

    const oursNs = await fresh('bench-ours');
    const ours = succeeded(await measure(gitopsDrArgv(['restore', file, ...kube, '-n', oursNs, '--apply']), { serverPid }), 'our restore');

    const theirsNs = await fresh(argocd ? 'bench-argocd' : 'bench-kubectl');
    const theirs = argocd
      ? succeeded(await measure([argocd, 'admin', 'import', '-', ...kube, '-n', theirsNs], { stdin: file, serverPid, capMs: CAP_MS }), 'argocd admin import')
      : succeeded(await measure(kubectlApplyArgv(s.kubeconfig, 'bench', theirsNs, file), { serverPid, capMs: CAP_MS }), 'kubectl apply');
    const theirsWrote = theirs.capped ? (await argoObjects(client, theirsNs)).length : objects;

    // Against the fully restored namespace: our plan, Argo CD's dry run, our backup.
    const plan = succeeded(await measure(gitopsDrArgv(['restore', file, ...kube, '-n', oursNs]), { serverPid }), 'our plan');
    const unchanged = /(\d+) unchanged/.exec(plan.stdout)?.[1];
    const dry = argocd ? succeeded(await measure([argocd, 'admin', 'import', '--dry-run', '-', ...kube, '-n', oursNs], { stdin: file, serverPid, capMs: CAP_MS }), 'argocd admin import --dry-run') : undefined;
    const backup = succeeded(await measure(gitopsDrArgv(['backup', ...kube, '-n', oursNs, '-o', path.join(dir, 'again.backup.yaml')]), { serverPid }), 'our backup');

    const theirName = argocd ? `argocd admin import (${path.basename(path.dirname(argocd))})` : 'kubectl apply -f (no argocd binary)';
    const row = (name: string, m: Measured, note = ''): string[] => [name, m.capped ? `> ${sec(m.ms)}` : sec(m.ms), sec(m.cpuMs), sec(m.serverCpuMs ?? NaN), `${m.maxRssMb.toFixed(0)} MiB`, note];
    const rows: string[][] = [
      row('restore: gitops-dr restore --apply', ours, `${(ours.ms / floor.ms).toFixed(2)}x floor; ${(theirs.ms / ours.ms).toFixed(1)}x faster than ${argocd ? 'argocd' : 'kubectl'}${theirs.capped ? ' (at least)' : ''}`),
      row(`restore: floor (${creates} POSTs, ${FLOOR_CONCURRENCY} in flight)`, floor, floorFailed ? `${floorFailed} answers not 2xx` : ''),
      row(`restore: ${theirName}`, theirs, theirs.capped ? `stopped; ${theirsWrote}/${objects} written` : ''),
      row(`plan: gitops-dr restore (${unchanged ?? '?'} unchanged)`, plan, `${(plan.ms / backup.ms).toFixed(2)}x our backup${dry ? `; ${(plan.ms / dry.ms).toFixed(2)}x argocd dry run` : ''}`),
      ...(dry ? [row('plan: argocd admin import --dry-run', dry)] : []),
      row('backup: gitops-dr backup of the restored namespace', backup),
    ];
    const head = ['measure', 'wall', 'our CPU', 'server CPU', 'peak RSS', 'ratio'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    console.log(`restore benchmark: scenario scale, ${objects} objects, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(line(head));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) console.log(line(r));
    if (!argocd) console.log('(no argocd binary in ~/.cache/gitops-dr/argocd/<version>/: kubectl apply is the baseline, and there is no Argo CD dry run)');
  } finally {
    for (const ns of namespaces) await dropNamespace(client, ns);
    client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`restore benchmark failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
