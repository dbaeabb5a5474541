// Helpers for restore tests against the real clusters: clients, fresh namespaces (created, then emptied and
// deleted), backups made by the exporter, and the Argo CD objects of a namespace.
import { randomBytes } from 'node:crypto';
import { loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, CONFIG_MAP, NAMESPACE, SECRET, type ResourceType } from '../../../src/core/objects/resources';
import { exportBackup, type BackupResult } from '../../../src/core/backup';
import type { ScenarioClusters } from '../support/clusters';

export async function clientFor(s: ScenarioClusters, context: string, timeoutMs = 15_000): Promise<KubeClient> {
  const kc = await loadKubeconfig([s.kubeconfig, s.limitedKubeconfig]);
  return KubeClient.forContext(kc, context, { timeoutMs, maxSockets: 32 });
}

export function freshName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create(NAMESPACE, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'gitops-dr.test/restore': 'true' } } });
}

const KINDS: ResourceType[] = [APPLICATION_SET, APPLICATION, APP_PROJECT, SECRET, CONFIG_MAP];

/** Everything this suite may have written into a namespace, then the namespace (no controller finishes its deletion). */
export async function removeNamespace(client: KubeClient, name: string): Promise<void> {
  for (const type of KINDS) {
    let items: KubeObject[] = [];
    try {
      items = await client.listAll(type, name);
    } catch {
      continue;
    }
    for (let i = 0; i < items.length; i += 32) {
      await Promise.all(
        items.slice(i, i + 32).map(async (o) => {
          try {
            if (o.metadata?.finalizers?.length) await client.patchMerge(type, name, o.metadata.name!, { metadata: { finalizers: null } });
            await client.delete(type, name, o.metadata!.name!);
          } catch {
            /* already gone */
          }
        }),
      );
    }
  }
  try {
    await client.delete(NAMESPACE, undefined, name);
  } catch {
    /* ignore */
  }
}

export async function backupText(client: KubeClient, namespace: string, extra: { applicationNamespaces?: string[] } = {}): Promise<{ text: string; result: BackupResult }> {
  let text = '';
  const result = await exportBackup(client, { namespace, ...extra }, (c) => {
    text += c;
  });
  return { text, result };
}

/** Splits a backup into its documents' texts (each ends before its `---` line). */
export function documentTexts(text: string): string[] {
  return text.split(/^---\n/m).filter((d) => d.length > 0);
}

/** Removes a top-level key (and its block) from one document's YAML text. */
export function withoutTopLevelKey(doc: string, key: string): string {
  const lines = doc.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (skipping && (line.startsWith(' ') || line.startsWith('- ') || line === '')) {
      if (line === '' && out.length > 0) out.push(line);
      continue;
    }
    skipping = line.startsWith(`${key}:`);
    if (!skipping) out.push(line);
  }
  return out.join('\n');
}

export async function argoObjects(client: KubeClient, namespace: string): Promise<string[]> {
  const names: string[] = [];
  for (const type of KINDS) for (const o of await client.listAll(type, namespace)) names.push(`${type.kind}/${o.metadata?.name}`);
  return names.sort();
}
