// Captures the Argo CD objects of a namespace (and its app namespaces) on a real cluster, and puts them back exactly
// as captured: the failover tests change the shared demo clusters and must leave them as seeded.
import type { KubeClient } from '../../../src/core/kube/client';
import { KubeError } from '../../../src/core/kube/errors';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, CONFIG_MAP, NAMESPACE, SECRET, type ResourceType } from '../../../src/core/objects/resources';

const KINDS: ResourceType[] = [CONFIG_MAP, SECRET, APP_PROJECT, APPLICATION, APPLICATION_SET];

export interface CapturedState {
  namespace: string;
  objects: Map<string, KubeObject>;
  /** Every namespace of the cluster (a failover may create Application namespaces). */
  namespaces: Set<string>;
}

const keyOf = (type: ResourceType, o: KubeObject): string => `${type.plural}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** The parts a restore or a failover may change; compared and restored. */
function content(o: KubeObject): unknown {
  const { metadata, ...rest } = o;
  return { labels: metadata?.labels ?? {}, annotations: metadata?.annotations ?? {}, finalizers: metadata?.finalizers ?? [], rest };
}

function typeOfKey(key: string): ResourceType {
  return KINDS.find((k) => key.startsWith(`${k.plural}/`))!;
}

/** Every ConfigMap, Secret, AppProject of `namespace`, and every Application / ApplicationSet cluster-wide. */
export async function captureState(client: KubeClient, namespace: string): Promise<CapturedState> {
  const objects = new Map<string, KubeObject>();
  for (const type of KINDS) {
    const cluster = type === APPLICATION || type === APPLICATION_SET;
    for (const o of await client.listAll(type, cluster ? undefined : namespace)) {
      const { metadata, ...rest } = o;
      const { resourceVersion: _rv, uid: _uid, managedFields: _mf, creationTimestamp: _ct, generation: _g, ...meta } = metadata ?? {};
      objects.set(keyOf(type, o), { ...rest, metadata: meta });
    }
  }
  const namespaces = new Set((await client.listAll(NAMESPACE, undefined)).map((n) => n.metadata?.name ?? ''));
  return { namespace, objects, namespaces };
}

/** Differences between a captured state and the live one, as `created|deleted|changed key` lines. */
export async function diffState(client: KubeClient, before: CapturedState): Promise<string[]> {
  const now = await captureState(client, before.namespace);
  const out: string[] = [];
  for (const [k, o] of now.objects) {
    const b = before.objects.get(k);
    if (!b) out.push(`created ${k}`);
    else if (JSON.stringify(content(b)) !== JSON.stringify(content(o))) out.push(`changed ${k}`);
  }
  for (const k of before.objects.keys()) if (!now.objects.has(k)) out.push(`deleted ${k}`);
  for (const n of now.namespaces) if (!before.namespaces.has(n)) out.push(`created namespaces//${n}`);
  return out.sort();
}

/** Puts the namespace back as captured: deletes what is new (finalizers stripped first), restores what changed. */
export async function restoreState(client: KubeClient, before: CapturedState): Promise<string[]> {
  const changes = await diffState(client, before);
  // Objects first, namespaces last (they must be empty before they go).
  const ordered = [...changes.filter((l) => !l.startsWith('created namespaces//')), ...changes.filter((l) => l.startsWith('created namespaces//'))];
  for (const line of ordered) {
    const [what, key] = line.split(' ') as [string, string];
    if (key.startsWith('namespaces//')) {
      await deleteNamespace(client, key.slice('namespaces//'.length));
      continue;
    }
    const type = typeOfKey(key);
    const [, ns, name] = key.split('/') as [string, string, string];
    const namespace = ns || undefined;
    if (what === 'created') {
      // No controller runs in the test clusters: a finalizer would keep the object Terminating forever.
      const live = await client.get(type, namespace, name);
      if (live?.metadata?.finalizers?.length) await client.patchMerge(type, namespace, name, { metadata: { finalizers: null } });
      await client.delete(type, namespace, name).catch((e: unknown) => {
        if (!(e instanceof KubeError && e.reason === 'notFound')) throw e;
      });
    } else if (what === 'changed') {
      const live = await client.get(type, namespace, name);
      const wanted = before.objects.get(key)!;
      await client.replace(type, namespace, name, { ...wanted, metadata: { ...wanted.metadata, resourceVersion: live?.metadata?.resourceVersion } });
    } else {
      await client.create(type, namespace, before.objects.get(key)!);
    }
  }
  return changes;
}

/** Deletes a namespace completely: no namespace controller runs in the test clusters, so its finalizer is cleared here. */
async function deleteNamespace(client: KubeClient, name: string): Promise<void> {
  await client.delete(NAMESPACE, undefined, name).catch((e: unknown) => {
    if (!(e instanceof KubeError && e.reason === 'notFound')) throw e;
  });
  const live = await client.get(NAMESPACE, undefined, name);
  if (!live) return;
  await client.request(`/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, { method: 'PUT', body: { ...live, spec: { finalizers: [] } } });
  for (let i = 0; i < 50 && (await client.get(NAMESPACE, undefined, name)); i++) await new Promise((r) => setTimeout(r, 100));
}
