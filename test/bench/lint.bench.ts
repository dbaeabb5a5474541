// Lint of a 10,000-document backup (4 ConfigMaps, argocd-secret, 20 cluster and 500 repository Secrets, 200
// AppProjects, the rest Applications) against, in the same run, a bare `yaml` parse of the same text
// (parseAllDocuments: what a linter built on the yaml package does first). Goals: at most 1.5x the parse, under
// 500 ms. A backup as Argo CD writes it is read by the canonical fast path (src/core/yaml/canonicalYaml.ts); the
// same lint with the yaml package reading everything is printed for reference.
// Runs are interleaved (parse, lint, parse, lint, …) so that machine load hits both alike; best of 5 after a warm-up.
import { parseAllDocuments } from 'yaml';
import { readBackup } from '../../src/core/yaml/readBackup';
import { readCanonicalYaml } from '../../src/core/yaml/canonicalYaml';
import { DEFAULT_READ_LIMITS } from '../../src/core/yaml/yamlLimits';
import { lintBackup } from '../../src/core/lint/lintBackup';
import { fmtMs, printTable } from './support';

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function syntheticBackup(documents: number): string {
  const parts: string[] = [];
  for (const name of ['argocd-cm', 'argocd-rbac-cm', 'argocd-ssh-known-hosts-cm', 'argocd-tls-certs-cm']) {
    parts.push(`apiVersion: v1\ndata:\n  admin.enabled: "true"\nkind: ConfigMap\nmetadata:\n  labels:\n    app.kubernetes.io/name: ${name}\n    app.kubernetes.io/part-of: argocd\n  name: ${name}\n---\n`);
  }
  parts.push(`apiVersion: v1\ndata:\n  server.secretkey: ${b64('key')}\nkind: Secret\nmetadata:\n  name: argocd-secret\ntype: Opaque\n---\n`);
  for (let i = 0; i < 20; i++) {
    parts.push(`apiVersion: v1\ndata:\n  config: ${b64('{"tlsClientConfig":{"insecure":false}}')}\n  name: ${b64(`cluster-${i}`)}\n  server: ${b64(`https://cluster-${i}.example.com:6443`)}\nkind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: cluster\n  name: cluster-${i}\ntype: Opaque\n---\n`);
  }
  for (let i = 0; i < 500; i++) {
    parts.push(`apiVersion: v1\ndata:\n  password: ${b64(`p${i}`)}\n  type: ${b64('git')}\n  url: ${b64(`https://git.example.com/org/repo-${i}.git`)}\n  username: ${b64('bot')}\nkind: Secret\nmetadata:\n  labels:\n    argocd.argoproj.io/secret-type: repository\n  name: repo-${i}\ntype: Opaque\n---\n`);
  }
  for (let i = 0; i < 200; i++) {
    parts.push(`apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: team-${i}\nspec:\n  destinations:\n  - namespace: '*'\n    server: '*'\n  sourceRepos:\n  - https://git.example.com/org/repo-${i}.git\nstatus: {}\n---\n`);
  }
  const apps = documents - parts.length;
  for (let i = 0; i < apps; i++) {
    parts.push(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  finalizers:
  - resources-finalizer.argocd.argoproj.io
  labels:
    team: team-${i % 200}
  name: app-${i}
spec:
  destination:
    namespace: app-${i}
    server: https://cluster-${i % 20}.example.com:6443
  project: team-${i % 200}
  source:
    path: apps/app-${i}
    repoURL: https://git.example.com/org/repo-${i % 500}.git
    targetRevision: main
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
    - CreateNamespace=true
status:
  health:
    status: Healthy
  sync:
    revision: 0123456789abcdef0123456789abcdef01234567
    status: Synced
---
`);
  }
  return parts.join('');
}

/** Wall-clock and CPU milliseconds of one call (CPU time is steadier on a loaded machine). */
function ms(f: () => unknown): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  f();
  const u = process.cpuUsage(c);
  return { wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (u.user + u.system) / 1000 };
}

interface Best {
  wall: number;
  cpu: number;
}

function keepBest(b: Best, m: { wall: number; cpu: number }): void {
  b.wall = Math.min(b.wall, m.wall);
  b.cpu = Math.min(b.cpu, m.cpu);
}

const both = (b: Best) => `${fmtMs(b.wall)} wall, ${fmtMs(b.cpu)} CPU`;

function main(): void {
  const text = syntheticBackup(10_000);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  // Sanity: the synthetic backup is clean, so the figure is the cost of a clean lint.
  const parsed = readBackup(text);
  const findings = lintBackup(parsed);
  if (parsed.documents.length !== 10_000 || findings.length !== 0) throw new Error(`synthetic backup: ${parsed.documents.length} documents, ${findings.length} findings (${findings[0]?.code} ${findings[0]?.message})`);
  // The figure is the fast path's (a backup as Argo CD writes it); the yaml-package path is printed beside it.
  if (!readCanonicalYaml(text, DEFAULT_READ_LIMITS)) throw new Error('synthetic backup: the canonical fast path did not take it');

  const best = {
    parse: { wall: Infinity, cpu: Infinity },
    lint: { wall: Infinity, cpu: Infinity },
    read: { wall: Infinity, cpu: Infinity },
    rules: { wall: Infinity, cpu: Infinity },
    slow: { wall: Infinity, cpu: Infinity },
  };
  const rounds = 6; // the first is a warm-up
  for (let r = 0; r < rounds; r++) {
    gc();
    const parse = ms(() => parseAllDocuments(text));
    gc();
    let p: ReturnType<typeof readBackup> | undefined;
    const read = ms(() => (p = readBackup(text)));
    const rules = ms(() => lintBackup(p!));
    gc();
    const slow = r < 3 ? ms(() => lintBackup(readBackup(text, { fastPath: false }))) : undefined; // 2 measured rounds: it is slow
    if (r === 0) continue;
    if (slow) keepBest(best.slow, slow);
    keepBest(best.parse, parse);
    keepBest(best.read, read);
    keepBest(best.rules, rules);
    keepBest(best.lint, { wall: read.wall + rules.wall, cpu: read.cpu + rules.cpu });
  }
  const ratio = best.lint.wall / best.parse.wall;
  const cpuRatio = best.lint.cpu / best.parse.cpu;
  printTable(`lint of a 10,000-document backup (${(text.length / 1024 / 1024).toFixed(1)} MiB), best of ${rounds - 1}`, [
    ['baseline: yaml parseAllDocuments (bare parse)', both(best.parse)],
    ['ours: readBackup + lintBackup', both(best.lint)],
    ['  of which readBackup (canonical fast path; ranges by the yaml package on demand)', both(best.read)],
    ['  of which lint rules', both(best.rules)],
    ['  for reference: the same lint with the yaml package reading everything', both(best.slow)],
    ['ratio ours / bare parse, wall (goal <= 1.5x)', `${ratio.toFixed(2)}x -> ${ratio <= 1.5 ? 'met' : 'MISSED'}`],
    ['ratio ours / bare parse, CPU', `${cpuRatio.toFixed(2)}x`],
    ['absolute, wall (goal < 500 ms)', `${fmtMs(best.lint.wall)} -> ${best.lint.wall < 500 ? 'met' : 'MISSED'}`],
  ]);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`lint bench failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
