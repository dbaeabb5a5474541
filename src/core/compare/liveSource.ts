// A live Argo CD namespace read as if it were a backup: the objects `argocd admin export` selects (the four
// ConfigMaps, Argo CD Secrets, AppProjects, Applications and ApplicationSets of enabled namespaces; never the
// Harness agent's own objects), cut down the same way (metadata keeps name, labels, annotations, finalizers, and
// the namespace only when it is not the Argo CD namespace). Held in memory only.
import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../objects/kubeObject';
import type { BackupObject } from '../restore/input';
import { readEnabledNamespaces, readLiveSet } from '../restore/liveSet';
import { BACKUP_KINDS } from '../objects/resources';

const EXPORT_ORDER: Record<string, number> = { ConfigMap: 0, Secret: 1, AppProject: 2, Application: 3, ApplicationSet: 4 };

/** One live object cut down like `argocd admin export` does. */
export function exportedForm(obj: KubeObject, argoNamespace: string): KubeObject {
  const { metadata, ...rest } = structuredClone(obj);
  const meta: Record<string, unknown> = { name: metadata?.name };
  if (metadata?.labels) meta.labels = metadata.labels;
  if (metadata?.annotations) meta.annotations = metadata.annotations;
  if (metadata?.finalizers) meta.finalizers = metadata.finalizers;
  if (metadata?.namespace && metadata.namespace !== argoNamespace) meta.namespace = metadata.namespace;
  return { ...rest, metadata: meta } as KubeObject;
}

export interface LiveSource {
  objects: BackupObject[];
  warnings: string[];
}

export async function readLiveSource(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<LiveSource> {
  const { enabled, warning } = await readEnabledNamespaces(client, namespace, signal);
  const live = await readLiveSet(client, { namespace, enabled, ...(signal ? { signal } : {}) });
  const warnings = [...(warning ? [warning] : []), ...live.warnings];
  for (const type of BACKUP_KINDS) {
    const reason = live.unreadable(type, namespace);
    if (reason) warnings.push(`source ${client.context}/${namespace}: ${type.plural} not read (${reason})`);
  }
  const sorted = [...live.argoSet].sort((a, b) => (EXPORT_ORDER[a.kind ?? ''] ?? 9) - (EXPORT_ORDER[b.kind ?? ''] ?? 9));
  return { objects: sorted.map((o, index) => ({ index, object: exportedForm(o, namespace) })), warnings };
}
