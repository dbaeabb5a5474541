// Restore targets on the parity scenario's empty clusters: namespaces that exist (a namespace never finishes
// deleting on these clusters: no controller manager), emptied of Argo CD objects before each use.
import type { KubeClient } from '../../src/core/kube/client';
import { KubeError } from '../../src/core/kube/errors';
import type { KubeObject } from '../../src/core/objects/kubeObject';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, CONFIG_MAP, NAMESPACE, SECRET } from '../../src/core/objects/resources';

async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  if (await client.get(NAMESPACE, undefined, name)) return;
  await client.create(NAMESPACE, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Deletes every ConfigMap, Secret, AppProject, Application and ApplicationSet of a namespace (finalizers first). */
async function empty(client: KubeClient, namespace: string): Promise<void> {
  for (const type of [APPLICATION_SET, APPLICATION, APP_PROJECT, SECRET, CONFIG_MAP]) {
    for (const o of await client.listAll<KubeObject>(type, namespace)) {
      const name = o.metadata!.name!;
      if (type === CONFIG_MAP && name === 'kube-root-ca.crt') continue;
      if (o.metadata?.finalizers?.length) await client.patchMerge(type, namespace, name, { metadata: { finalizers: null } });
      try {
        await client.delete(type, namespace, name);
      } catch (e) {
        if (!(e instanceof KubeError && e.status === 404)) throw e;
      }
    }
  }
}

/**
 * An empty Argo CD namespace `ns` that enables Applications and ApplicationSets in `team-*` (argocd-cmd-params-cm,
 * which a backup does not carry), plus the empty namespaces the backup's other Applications go to.
 */
export async function prepareTarget(client: KubeClient, ns: string, appNamespaces: string[], cmdParams = true): Promise<void> {
  for (const n of [ns, ...appNamespaces]) {
    await ensureNamespace(client, n);
    await empty(client, n);
  }
  if (cmdParams) {
    await client.create(CONFIG_MAP, ns, {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'argocd-cmd-params-cm', namespace: ns },
      data: { 'application.namespaces': 'team-*', 'applicationsetcontroller.namespaces': 'team-*' },
    } as KubeObject);
  }
}
