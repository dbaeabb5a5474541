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
import { backupText, clientFor, createNamespace, freshName, removeNamespace } from '../integration/restore/support';

function kubectl(args: string[]): Promise<{ code: number; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr, ms: Date.now() - started }));
  });
}

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

    const k = await kubectl(['--kubeconfig', s.kubeconfig, '--context', 'bench', '-n', theirs, 'apply', '-f', file]);
    if (k.code !== 0) throw new Error(`kubectl apply failed (${k.code}): ${k.stderr.slice(0, 500)}`);

    const t1 = Date.now();
    const replan = await planRestore(client, readBackup(text), { namespace: ours });
    const planFullMs = Date.now() - t1;
    if (replan.counts.unchanged !== objects) throw new Error(`re-plan: ${JSON.stringify(replan.counts)}`);
    const t2 = Date.now();
    readBackup(text);
    const readMs = Date.now() - t2;

    const rows: Array<[string, string, string, string]> = [
      ['restore into an empty namespace', fmt(oursMs), fmt(k.ms), `${(k.ms / oursMs).toFixed(1)}x faster`],
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
