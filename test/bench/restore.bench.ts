// Benchmark: the `scale` scenario's backup (5,000 Applications, 200 AppProjects, 500 Secrets) restored into an
// empty namespace by gitops-dr (plan + apply) and by `kubectl apply -f` of the same file into another empty
// namespace, in the same run. Also: plan computation against a namespace already holding every object (5,000+
// comparisons). Prints a table; exits non-zero only on errors, never on slow figures.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyRestore, planRestore } from '../../src/core/restore';
import { readBackup } from '../../src/core/yaml/readBackup';
import { scenario } from '../integration/support/clusters';
import { argoObjects, backupText, clientFor, createNamespace, freshName, removeNamespace } from '../integration/restore/support';

/** kubectl (an arg array, never a shell string), stopped after `capMs`: `kubectl apply -f` of 5,000+ objects is slow. */
function kubectl(args: string[], capMs: number): Promise<{ code: number; stderr: string; ms: number; capped: boolean }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let capped = false;
    const timer = setTimeout(() => {
      capped = true;
      child.kill('SIGTERM');
    }, capMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stderr, ms: Date.now() - started, capped });
    });
  });
}

/** How long kubectl may run (seconds); past it the baseline is reported as "more than" with the objects it wrote. */
const KUBECTL_CAP_MS = (Number(process.env.RESTORE_BENCH_KUBECTL_CAP_SECONDS) || 20 * 60) * 1000;

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const s = await scenario('scale');
  const client = await clientFor(s, 'bench', 60_000);
  const ours = freshName('bench-restore-ours');
  const theirs = freshName('bench-restore-kubectl');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-bench-'));
  const file = path.join(dir, 'scale.backup.yaml');
  try {
    const { text } = await backupText(client, 'argocd');
    fs.writeFileSync(file, text, { mode: 0o600 });
    const parsed = readBackup(text);
    const objects = parsed.documents.length;
    await createNamespace(client, ours);
    await createNamespace(client, theirs);

    const t0 = Date.now();
    const plan = await planRestore(client, readBackup(text), { namespace: ours });
    const planEmptyMs = Date.now() - t0;
    const result = await applyRestore(client, plan, { concurrency: 16 });
    const oursMs = Date.now() - t0;
    if (result.counts.failed > 0) throw new Error(`our restore failed for ${result.counts.failed} objects: ${result.results.find((r) => r.outcome === 'failed')?.line}`);

    const k = await kubectl(['--kubeconfig', s.kubeconfig, '--context', 'bench', '-n', theirs, 'apply', '-f', file], KUBECTL_CAP_MS);
    if (k.code !== 0 && !k.capped) throw new Error(`kubectl apply failed (${k.code}): ${k.stderr.slice(0, 500)}`);
    const kubectlWrote = k.capped ? (await argoObjects(client, theirs)).length : objects;

    const t1 = Date.now();
    const replan = await planRestore(client, readBackup(text), { namespace: ours });
    const planFullMs = Date.now() - t1;
    if (replan.counts.unchanged !== objects) throw new Error(`re-plan: ${JSON.stringify(replan.counts)}`);
    const t2 = Date.now();
    readBackup(text);
    const readMs = Date.now() - t2;

    const rows: Array<[string, string, string, string]> = [
      k.capped
        ? ['restore into an empty namespace', fmt(oursMs), `> ${fmt(k.ms)} (stopped; ${kubectlWrote}/${objects} written)`, `> ${(k.ms / oursMs).toFixed(1)}x faster`]
        : ['restore into an empty namespace', fmt(oursMs), fmt(k.ms), `${(k.ms / oursMs).toFixed(1)}x faster`],
      ['  of which: plan (empty target)', fmt(planEmptyMs), '', ''],
      [`plan, ${objects} objects all live (compare each)`, fmt(planFullMs), '', ''],
      [`read + parse the ${(text.length / 1048576).toFixed(1)} MiB backup`, fmt(readMs), '', ''],
    ];
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['measure', 'gitops-dr', 'kubectl apply -f', 'ratio'][i]!.length));
    const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    console.log(`restore benchmark: scenario scale, ${objects} objects (${JSON.stringify(result.counts)})`);
    console.log(line(['measure', 'gitops-dr', 'kubectl apply -f', 'ratio']));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) console.log(line(r));
  } finally {
    await removeNamespace(client, ours);
    await removeNamespace(client, theirs);
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
