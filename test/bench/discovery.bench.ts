// Discovery over 20 contexts (15 pointing at the demo clusters, 5 unreachable) against a sequential
// `kubectl --context X get configmap gitops-agent` loop over the same contexts, in the same run.
// Goals: at least 5x faster than the loop; total at most one probe timeout + 1 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadKubeconfig } from '../../src/core/kube/kubeconfig';
import { discoverAll } from '../../src/core/agents/discover';
import { scenario } from '../integration/support/clusters';
import { fmtMs, printTable, timed } from './support';

interface Kc {
  clusters: Array<{ name: string; cluster: { server: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string; namespace?: string } }>;
  users: unknown[];
  'current-context'?: string;
}

async function main(): Promise<void> {
  const s = await scenario('demo');
  const base = parse(readFileSync(s.kubeconfig, 'utf8')) as Kc;
  const reachable = base.contexts.filter((c) => c.name !== 'offline');
  const unreachable = base.contexts.find((c) => c.name === 'offline')!;
  const contexts: Kc['contexts'] = [];
  for (let i = 0; i < 15; i++) {
    const src = reachable[i % reachable.length]!;
    contexts.push({ name: `${src.name}-${i}`, context: { ...src.context } });
  }
  for (let i = 0; i < 5; i++) contexts.push({ name: `offline-${i}`, context: { ...unreachable.context } });
  const dir = mkdtempSync(join(tmpdir(), 'gitops-dr-bench-'));
  const file = join(dir, 'kubeconfig-20.yaml');
  writeFileSync(file, stringify({ ...base, contexts, 'current-context': contexts[0]!.name }), { mode: 0o600 });

  const timeoutMs = 2000;
  const kc = await loadKubeconfig([file]);
  const ours = await timed(() => discoverAll(kc, { timeoutMs }));
  const agents = ours.value.groups.reduce((n, g) => n + g.members.length, 0) + ours.value.singles.length;
  const down = ours.value.contexts.filter((c) => c.state === 'unreachable').length;

  const loop = await timed(async () => {
    let found = 0;
    for (const c of contexts) {
      const ns = c.name.startsWith('lab') ? 'harness-gitops' : 'argocd';
      const r = spawnSync('kubectl', ['--kubeconfig', file, '--context', c.name, '--request-timeout', `${timeoutMs / 1000}s`, '-n', ns, 'get', 'configmap', 'gitops-agent', '-o', 'name'], { encoding: 'utf8' });
      if (r.status === 0) found++;
    }
    return found;
  });

  printTable('discovery over 20 contexts (5 unreachable), probe timeout 2 s', [
    ['gitops-dr discoverAll (parallel, full inspection)', `${fmtMs(ours.ms)}  (${agents} agents seen, ${down} unreachable)`],
    ['kubectl get configmap gitops-agent, sequential', `${fmtMs(loop.ms)}  (${loop.value} found)`],
    ['speed-up (goal >= 5x)', `${(loop.ms / ours.ms).toFixed(1)}x`],
    ['budget: one timeout + 1 s', `${fmtMs(timeoutMs + 1000)} -> ${ours.ms <= timeoutMs + 1000 ? 'met' : 'MISSED'}`],
  ]);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
