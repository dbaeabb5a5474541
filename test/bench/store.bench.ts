// Backup of the `scale` scenario (5,000 Applications, 200 AppProjects, 500 Secrets) to the object store (a real
// MinIO on loopback, streamed multipart upload, manifest) against the same backup to a local file, in one run.
// Goals: at most 1.2x the file backup; peak RSS under 250 MB (the export is never held whole).
// Each figure comes from a child process of its own (peak RSS is per process); runs are interleaved (one warm-up
// round, then best of 3) so load from elsewhere hits both alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../../src/core/kube/kubeconfig';
import { KubeClient } from '../../src/core/kube/client';
import { exportBackup, formatCounts, saveBackupFile, type BackupResult } from '../../src/core/backup';
import { parseLocation, storeBackup, TOOL_VERSION, type S3Location } from '../../src/core/store';
import { S3Store } from '../../src/core/store/s3Store';
import { scenario } from '../integration/support/clusters';
import { createBucket, minio, s3Env, type MinioServer } from '../integration/support/objectStore';
import { fmtMs, printTable } from './support';

const NAMESPACE = 'argocd';
const GOAL_RATIO = 1.2;
const GOAL_RSS_MB = 250;

interface Figure {
  ms: number;
  maxRssMb: number;
  bytes: number;
  detail?: string;
}

async function child(kind: string, kubeconfig: string, context: string, server: MinioServer, bucket: string): Promise<Figure> {
  const client = await KubeClient.forContext(await loadKubeconfig([kubeconfig]), context, { timeoutMs: 60_000 });
  const started = process.hrtime.bigint();
  let result: BackupResult;
  let bytes: number;
  if (kind === 'file') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
    const file = join(dir, 'scale.backup.yaml');
    result = await saveBackupFile(file, (sink) => exportBackup(client, { namespace: NAMESPACE }, sink));
    bytes = statSync(file).size;
    rmSync(dir, { recursive: true, force: true });
  } else {
    const store = new S3Store(parseLocation(`s3://${bucket}/bench`, s3Env(server)) as S3Location, { credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey } });
    const stored = await storeBackup({
      store,
      source: { identity: { account: 'bench', agent: 'scale' }, context, clusterId: 'bench', namespace: NAMESPACE },
      toolVersion: TOOL_VERSION,
      produce: (sink) => exportBackup(client, { namespace: NAMESPACE }, sink),
    });
    result = stored.result;
    bytes = stored.manifest.size;
    store.close();
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  client.close();
  return { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes, detail: formatCounts(result.counts) };
}

function run(kind: string, args: string[]): Figure {
  const r = spawnSync(process.execPath, [__filename, `--child=${kind}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${kind} child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Figure;
}

async function main(): Promise<void> {
  const kind = process.argv.find((a) => a.startsWith('--child='))?.slice(8);
  if (kind) {
    const [kubeconfig, context, serverJson, bucket] = process.argv.slice(3) as [string, string, string, string];
    console.log(JSON.stringify(await child(kind, kubeconfig, context, JSON.parse(serverJson) as MinioServer, bucket)));
    return;
  }
  const [s, server] = await Promise.all([scenario('scale'), minio()]);
  const bucket = `bench-${Date.now()}`;
  await createBucket(server, bucket);
  const args = [s.kubeconfig, s.clusters[0]!.name, JSON.stringify(server), bucket];
  let file: Figure | undefined;
  let s3: Figure | undefined;
  const peak = { file: 0, s3: 0 };
  for (let round = 0; round < 4; round++) {
    const f = run('file', args);
    const o = run('s3', args);
    peak.file = Math.max(peak.file, f.maxRssMb);
    peak.s3 = Math.max(peak.s3, o.maxRssMb);
    if (round === 0) continue; // warm-up
    if (!file || f.ms < file.ms) file = f;
    if (!s3 || o.ms < s3.ms) s3 = o;
  }
  const ratio = s3!.ms / file!.ms;
  printTable(`scale backup: object store vs local file (${s3!.detail}, ${(s3!.bytes / 1e6).toFixed(1)} MB)`, [
    ['local file (baseline)', `${fmtMs(file!.ms)}, peak RSS ${peak.file.toFixed(0)} MB`],
    ['object store (MinIO, S3 multipart)', `${fmtMs(s3!.ms)}, peak RSS ${peak.s3.toFixed(0)} MB`],
    ['ratio', `${ratio.toFixed(2)}x (goal <= ${GOAL_RATIO}x)`],
  ]);
  const ok = ratio <= GOAL_RATIO && peak.s3 < GOAL_RSS_MB;
  console.log(ok ? 'goals met' : `GOAL MISSED: ratio ${ratio.toFixed(2)} (<= ${GOAL_RATIO}), RSS ${peak.s3.toFixed(0)} MB (< ${GOAL_RSS_MB})`);
  process.exitCode = ok ? 0 : 1;
}

void main();
