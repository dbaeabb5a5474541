// What a restore is measured against, shared by restore.bench.ts and argocd.bench.ts: the floor (floorClient.ts:
// the same create bodies our plan sends, POSTed by a minimal concurrent client), `kubectl apply -f`, and the empty
// target namespaces each side restores into (with the argocd-cmd-params-cm Argo CD needs there).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_MAP, resourcePath, resourceTypeOfKind, APPLICATION, APPLICATION_SET, APP_PROJECT, SECRET, type ResourceType } from '../../src/core/objects/resources';
import { CMD_PARAMS_CONFIG_MAP } from '../../src/core/argo/argoFacts';
import type { KubeClient } from '../../src/core/kube/client';
import type { KubeObject } from '../../src/core/objects/kubeObject';
import { planRestore } from '../../src/core/restore';
import { applyPhase } from '../../src/core/restore/order';
import { readBackup } from '../../src/core/yaml/readBackup';
import { clusterApi } from '../integration/support/clusters';
import { createNamespace, freshName } from '../integration/restore/support';

/** The concurrency the floor uses: our restore's default ceiling of 16 sockets, so both may have as many writes in flight. */
export const FLOOR_CONCURRENCY = Number(process.env.RESTORE_BENCH_FLOOR_CONCURRENCY) || 16;

/** The pid of a test cluster's API server (its CPU is measured beside each process). */
export async function serverPidOf(scenarioName: string, cluster: string): Promise<number> {
  const st = ((await clusterApi()) as unknown as { status(n: string): { clusters: Array<{ name: string; pid: number }> } }).status(scenarioName);
  const pid = st.clusters.find((c) => c.name === cluster)?.pid;
  if (!pid) throw new Error(`no API server pid for ${scenarioName}/${cluster}`);
  return pid;
}

/** A target namespace as Argo CD expects it: the namespace and its argocd-cmd-params-cm (data copied from the source). */
export async function targetNamespace(client: KubeClient, prefix: string, cmdParams: KubeObject | undefined): Promise<string> {
  const ns = freshName(prefix);
  await createNamespace(client, ns);
  await client.create(CONFIG_MAP, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CMD_PARAMS_CONFIG_MAP, namespace: ns }, data: cmdParams?.data ?? {} });
  return ns;
}

/** Empties and deletes a bench namespace: finalizers stripped, then one delete-collection per kind. */
export async function dropNamespace(client: KubeClient, ns: string): Promise<void> {
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

/** The floor's input: the create bodies our plan sends for the empty namespace `ns`, in apply phases. */
export async function floorBodies(client: KubeClient, text: string, ns: string, file: string): Promise<number> {
  const plan = await planRestore(client, readBackup(text), { namespace: ns });
  const lines = plan.entries
    .filter((e) => e.action === 'create')
    .map((e) => ({ phase: applyPhase(e.ref.kind), path: resourcePath(resourceTypeOfKind(e.desired!.apiVersion!, e.desired!.kind!)!, ns), body: JSON.stringify(e.desired) }))
    .sort((a, b) => a.phase - b.phase)
    .map((l) => JSON.stringify(l));
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return lines.length;
}

/** The floor as a process: POSTs the bodies of `bodiesFile` (stdout: {"writes","failed"}). */
export function floorArgv(bodiesFile: string, kubeconfig: string, context: string, concurrency = FLOOR_CONCURRENCY): string[] {
  return [process.execPath, path.join(__dirname, 'floorClient.js'), bodiesFile, '--kubeconfig', kubeconfig, '--context', context, '--concurrency', String(concurrency)];
}

/** How many of the floor's answers were not 2xx (from its stdout). */
export function floorFailures(stdout: string): number {
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { failed: number }).failed;
}

/** `kubectl apply -f FILE` into `ns` (client-side apply: one object after another). */
export function kubectlApplyArgv(kubeconfig: string, context: string, ns: string, file: string): string[] {
  return ['kubectl', '--kubeconfig', kubeconfig, '--context', context, '-n', ns, 'apply', '-f', file];
}
