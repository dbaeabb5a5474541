// Benchmark: the `scale` scenario's backup (5,000 Applications, 200 AppProjects, 500 Secrets) restored into empty
// namespaces in the same run by: our CLI (`gitops-dr restore --apply`), the floor (floorClient.ts: the same create
// bodies POSTed by a minimal concurrent client, no planning or checks), and Argo CD's own `argocd admin import`
// when its binary is in ~/.cache/gitops-dr/argocd/<version>/ (else `kubectl apply -f`). Then, against the fully
// restored namespace: our plan (`gitops-dr restore` without --apply), `argocd admin import --dry-run`, and our
// backup of that namespace. Every measure is its own process: wall time, its CPU, its peak RSS, and the API
// server's CPU over the same interval (from /proc/<pid>/stat of the test cluster). Exits non-zero only on errors.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_MAP, resourcePath, resourceTypeOfKind, APPLICATION, APPLICATION_SET, APP_PROJECT, SECRET, type ResourceType } from '../../src/core/objects/resources';
import { CMD_PARAMS_CONFIG_MAP } from '../../src/core/argo/argoFacts';
import type { KubeClient } from '../../src/core/kube/client';
import type { KubeObject } from '../../src/core/objects/kubeObject';
import { planRestore } from '../../src/core/restore';
import { applyPhase } from '../../src/core/restore/order';
import { readBackup } from '../../src/core/yaml/readBackup';
import { clusterApi, scenario } from '../integration/support/clusters';
import { argoObjects, backupText, clientFor, createNamespace, freshName } from '../integration/restore/support';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** The CLI as users run it (the esbuild bundle `npm run bench` builds first), else the tsc output. */
const CLI = [path.join(repoRoot, 'dist', 'cli.js'), path.join(repoRoot, 'out', 'src', 'cli', 'main.js')].find((f) => fs.existsSync(f))!;
const FLOOR = path.join(__dirname, 'floorClient.js');
/** The concurrency the floor uses: our restore's default ceiling, so both may have as many writes in flight. */
const FLOOR_CONCURRENCY = Number(process.env.RESTORE_BENCH_FLOOR_CONCURRENCY) || 16;
/** How long a baseline may run (seconds); past it it is reported as "more than" with the objects it wrote. */
const CAP_MS = (Number(process.env.RESTORE_BENCH_CAP_SECONDS) || 20 * 60) * 1000;

interface Measure {
  ms: number;
  code: number;
  capped: boolean;
  stderr: string;
  stdout: string;
  /** Our process: user+sys seconds, peak RSS in MiB (GNU time). */
  cpuS: number;
  rssMiB: number;
  /** The API server's (and its etcd's) CPU seconds over the same interval. */
  serverCpuS: number;
}

/** utime+stime of a process, in seconds (clock ticks of 1/100 s on Linux). */
function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs one measured process (an arg array under GNU time, never a shell string). */
function measure(serverPid: number, cmd: string, args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measure> {
  const timeFile = path.join(os.tmpdir(), `restore-bench-time-${process.pid}-${Date.now()}`);
  const serverBefore = processCpuSeconds(serverPid);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, cmd, ...args], {
      stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    let stderr = '';
    let stdout = '';
    let capped = false;
    const timer = setTimeout(() => {
      capped = true;
      // Stop the measured process, not GNU time, so time still reports its CPU and peak RSS.
      let measured: number[] = [];
      try {
        measured = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter((p) => p).map(Number);
      } catch {
        /* already gone */
      }
      if (measured.length === 0) child.kill('SIGTERM');
      for (const pid of measured) process.kill(pid, 'SIGTERM');
    }, CAP_MS);
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    child.stdout!.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-20_000)));
    if (opts.stdin) fs.createReadStream(opts.stdin).pipe(child.stdin!);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const serverCpuS = processCpuSeconds(serverPid) - serverBefore;
      let cpuS = NaN;
      let rssMiB = NaN;
      try {
        const last = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        cpuS = last[0]! + last[1]!;
        rssMiB = last[2]! / 1024;
        fs.rmSync(timeFile, { force: true });
      } catch {
        /* killed before GNU time wrote it */
      }
      resolve({ ms, code: code ?? -1, capped, stderr, stdout, cpuS, rssMiB, serverCpuS });
    });
  });
}

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

/** A target namespace as Argo CD expects it: the namespace and its argocd-cmd-params-cm (copied from the source). */
async function targetNamespace(client: KubeClient, prefix: string, cmdParams: KubeObject | undefined): Promise<string> {
  const ns = freshName(prefix);
  await createNamespace(client, ns);
  await client.create(CONFIG_MAP, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CMD_PARAMS_CONFIG_MAP, namespace: ns }, data: cmdParams?.data ?? {} });
  return ns;
}

/** Empties and deletes a bench namespace: finalizers stripped, then one delete-collection per kind. */
async function dropNamespace(client: KubeClient, ns: string): Promise<void> {
  const kinds: ResourceType[] = [APPLICATION_SET, APPLICATION, APP_PROJECT, SECRET, CONFIG_MAP];
  for (const type of kinds) {
    try {
      const items = await client.listAll(type, ns, { metadataOnly: true });
      const held = items.filter((o) => o.metadata?.finalizers?.length);
      for (let i = 0; i < held.length; i += 16) {
        await Promise.all(held.slice(i, i + 16).map((o) => client.patchMerge(type, ns, o.metadata!.name!, { metadata: { finalizers: null } }).catch(() => undefined)));
      }
      await client.request(resourcePath(type, ns), { method: 'DELETE', timeoutMs: 120_000 });
    } catch {
      /* not there, or already gone */
    }
  }
  await client.request(`/api/v1/namespaces/${ns}`, { method: 'DELETE' }).catch(() => undefined);
}

/** The floor's input: the create bodies our plan sends for an empty namespace, in apply phases. */
async function floorBodies(client: KubeClient, text: string, ns: string, file: string): Promise<number> {
  const plan = await planRestore(client, readBackup(text), { namespace: ns });
  const lines = plan.entries
    .filter((e) => e.action === 'create')
    .map((e) => ({ phase: applyPhase(e.ref.kind), path: resourcePath(resourceTypeOfKind(e.desired!.apiVersion!, e.desired!.kind!)!, ns), body: JSON.stringify(e.desired) }))
    .sort((a, b) => a.phase - b.phase)
    .map((l) => JSON.stringify(l));
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return lines.length;
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const s = await scenario('scale');
  const st = ((await clusterApi()) as unknown as { status(n: string): { clusters: Array<{ name: string; pid: number }> } }).status('scale');
  const serverPid = st.clusters.find((c) => c.name === 'bench')!.pid;
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
    const floor = await measure(serverPid, process.execPath, [FLOOR, bodies, ...kube, '--concurrency', String(FLOOR_CONCURRENCY)]);
    if (floor.code !== 0) throw new Error(`floor failed: ${floor.stderr.slice(-500)}`);
    const floorFailed = (JSON.parse(floor.stdout.trim().split('\n').pop()!) as { failed: number }).failed;

    const oursNs = await fresh('bench-ours');
    const ours = await measure(serverPid, process.execPath, [CLI, 'restore', file, ...kube, '-n', oursNs, '--apply']);
    if (ours.code !== 0) throw new Error(`our restore failed (${ours.code}): ${ours.stderr.slice(-800)}`);

    const theirsNs = await fresh(argocd ? 'bench-argocd' : 'bench-kubectl');
    const theirs = argocd
      ? await measure(serverPid, argocd, ['admin', 'import', '-', ...kube, '-n', theirsNs], { stdin: file })
      : await measure(serverPid, 'kubectl', [...kube, '-n', theirsNs, 'apply', '-f', file]);
    if (theirs.code !== 0 && !theirs.capped) throw new Error(`${argocd ? 'argocd admin import' : 'kubectl apply'} failed (${theirs.code}): ${theirs.stderr.slice(-500)}`);
    const theirsWrote = theirs.capped ? (await argoObjects(client, theirsNs)).length : objects;

    // Against the fully restored namespace: our plan, Argo CD's dry run, our backup.
    const plan = await measure(serverPid, process.execPath, [CLI, 'restore', file, ...kube, '-n', oursNs]);
    if (plan.code !== 0) throw new Error(`our plan failed (${plan.code}): ${plan.stderr.slice(-800)}`);
    const unchanged = /(\d+) unchanged/.exec(plan.stdout)?.[1];
    const dry = argocd ? await measure(serverPid, argocd, ['admin', 'import', '--dry-run', '-', ...kube, '-n', oursNs], { stdin: file }) : undefined;
    if (dry && dry.code !== 0 && !dry.capped) throw new Error(`argocd admin import --dry-run failed (${dry.code}): ${dry.stderr.slice(-500)}`);
    const backup = await measure(serverPid, process.execPath, [CLI, 'backup', ...kube, '-n', oursNs, '-o', path.join(dir, 'again.backup.yaml')]);
    if (backup.code !== 0) throw new Error(`our backup failed (${backup.code}): ${backup.stderr.slice(-500)}`);

    const theirName = argocd ? `argocd admin import (${path.basename(path.dirname(argocd))})` : 'kubectl apply -f (no argocd binary)';
    const row = (name: string, m: Measure, note = ''): string[] => [name, m.capped ? `> ${sec(m.ms)}` : sec(m.ms), `${m.cpuS.toFixed(1)} s`, `${m.serverCpuS.toFixed(1)} s`, `${m.rssMiB.toFixed(0)} MiB`, note];
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
