// Applies an agent install manifest to the target cluster: every object's type resolved through the server's
// discovery first, a server-side dry run of the whole manifest, then the real server-side apply in a safe order
// (namespace, CRDs, RBAC, config, services, workloads), one reported line per object. Argo CD CRDs already on the
// cluster are kept, never overwritten: they belong to whichever install brought them.
import type { KubeClient } from '../kube/client';
import { KubeError, describeError } from '../kube/errors';
import type { KubeObject } from '../objects/kubeObject';
import { resourcePath, type ResourceType } from '../objects/resources';
import { describeObject, inApplyOrder, type ManifestObject } from './manifest';
import { SecondaryError } from './model';

const FIELD_MANAGER = 'gitops-dr';

export type ApplyAction = 'created' | 'configured' | 'unchanged' | 'kept';

export interface AppliedObject {
  kind: string;
  name: string;
  namespace?: string;
  action: ApplyAction;
  dryRun: boolean;
  /** Why an object was kept as it is. */
  note?: string;
}

export interface ApplyReport {
  objects: AppliedObject[];
  /** The namespace was created so the dry run of the namespaced objects could run. */
  namespaceCreatedForDryRun: boolean;
}

export class ApplyError extends SecondaryError {
  constructor(
    message: string,
    readonly applied: AppliedObject[],
    readonly phase: 'resolve' | 'dryRun' | 'apply',
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}

interface ApiResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean }>;
}

/** Maps apiVersion + kind to its REST resource through the server's discovery documents (one per group/version). */
export class TypeResolver {
  private readonly lists = new Map<string, Promise<ApiResourceList | undefined>>();
  constructor(private readonly client: KubeClient) {}

  async resolve(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceType | undefined> {
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    let list = this.lists.get(path);
    if (!list) {
      list = this.client.request<ApiResourceList>(path, signal ? { signal } : {}).catch((e: unknown) => {
        if (e instanceof KubeError && e.reason === 'notFound') return undefined;
        throw e;
      });
      this.lists.set(path, list);
    }
    const found = (await list)?.resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    return found ? { group, version, kind, plural: found.name, namespaced: found.namespaced } : undefined;
  }
}

export interface ApplyOptions {
  namespace: string;
  signal?: AbortSignal;
  /** One line per object, as it happens. */
  onObject?: (o: AppliedObject) => void;
  /** Only the dry run (nothing is written, except the namespace when it is missing: see the report). */
  dryRunOnly?: boolean;
}

interface Planned {
  obj: ManifestObject;
  type: ResourceType;
  namespace: string | undefined;
}

async function resolveAll(client: KubeClient, objects: readonly ManifestObject[], namespace: string, signal?: AbortSignal): Promise<Planned[]> {
  const resolver = new TypeResolver(client);
  const unknown: string[] = [];
  const planned: Planned[] = [];
  for (const obj of inApplyOrder(objects)) {
    const type = await resolver.resolve(obj.apiVersion, obj.kind, signal);
    if (!type) {
      unknown.push(`${obj.apiVersion} ${describeObject(obj)}`);
      continue;
    }
    planned.push({ obj, type, namespace: type.namespaced ? namespace : undefined });
  }
  if (unknown.length > 0) {
    throw new ApplyError(`the cluster does not serve these kinds of the manifest (nothing was applied): ${unknown.join(', ')}. Install their CRDs first, or use a manifest for this Kubernetes version.`, [], 'resolve');
  }
  return planned;
}

function withNamespace(p: Planned): ManifestObject {
  const meta = { ...p.obj.metadata };
  if (p.namespace) meta.namespace = p.namespace;
  else delete meta.namespace;
  return { ...p.obj, metadata: meta };
}

async function applyOne(client: KubeClient, p: Planned, dryRun: boolean, signal?: AbortSignal): Promise<AppliedObject> {
  const base = { kind: p.obj.kind, name: p.obj.metadata.name, ...(p.namespace ? { namespace: p.namespace } : {}), dryRun };
  const path = resourcePath(p.type, p.namespace, p.obj.metadata.name);
  const live = await client.get(p.type, p.namespace, p.obj.metadata.name, signal);
  if (live && p.obj.kind === 'CustomResourceDefinition') return { ...base, action: 'kept', note: 'already on the cluster; another install may own it, so it is not changed' };
  if (live && p.obj.kind === 'Namespace') return { ...base, action: 'unchanged', note: 'exists' };
  const answer = await client.request<KubeObject>(path, {
    method: 'PATCH',
    body: withNamespace(p),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: FIELD_MANAGER, ...(dryRun ? { dryRun: 'All' } : {}) },
    ...(signal ? { signal } : {}),
  });
  if (!live) return { ...base, action: 'created' };
  return { ...base, action: answer?.metadata?.resourceVersion === live.metadata?.resourceVersion ? 'unchanged' : 'configured' };
}

/** `Deployment gitops-agent in namespace argocd created (dry run)`. */
export function formatApplied(o: AppliedObject): string {
  return `${o.kind} ${o.name}${o.namespace ? ` in namespace ${o.namespace}` : ''} ${o.action}${o.note ? ` (${o.note})` : ''}${o.dryRun ? ' (dry run)' : ''}`;
}

/**
 * Dry run of every object, then (unless dryRunOnly) the real apply in the same order. Stops at the first failure
 * with an ApplyError that lists what was applied before it.
 */
export async function applyManifest(client: KubeClient, objects: readonly ManifestObject[], options: ApplyOptions): Promise<ApplyReport> {
  const { namespace, signal } = options;
  const planned = await resolveAll(client, objects, namespace, signal);
  const done: AppliedObject[] = [];
  const record = (o: AppliedObject): void => {
    done.push(o);
    options.onObject?.(o);
  };
  // A server-side dry run of namespaced objects needs their namespace to exist: it is created first when missing
  // (an empty namespace, named in the report), everything else stays a dry run.
  let namespaceCreatedForDryRun = false;
  const nsType: ResourceType = { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };
  const needsNamespace = planned.some((p) => p.namespace);
  if (needsNamespace && !(await client.get(nsType, undefined, namespace, signal))) {
    const nsPlanned = planned.find((p) => p.obj.kind === 'Namespace') ?? { obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } as ManifestObject, type: nsType, namespace: undefined };
    try {
      record(await applyOne(client, nsPlanned, false, signal));
    } catch (e) {
      throw new ApplyError(`cannot create namespace ${namespace}: ${describeError(e)}`, done, 'dryRun');
    }
    namespaceCreatedForDryRun = true;
  }
  for (const p of planned) {
    try {
      record(await applyOne(client, p, true, signal));
    } catch (e) {
      const left = namespaceCreatedForDryRun ? ` Namespace ${namespace} was created for the dry run and is empty.` : '';
      throw new ApplyError(`the dry run refused ${describeObject(p.obj)}: ${describeError(e)}. Nothing else was written.${left}`, done, 'dryRun');
    }
  }
  if (options.dryRunOnly) return { objects: done, namespaceCreatedForDryRun };
  for (const p of planned) {
    try {
      record(await applyOne(client, p, false, signal));
    } catch (e) {
      const applied = done.filter((d) => !d.dryRun && d.action !== 'unchanged' && d.action !== 'kept');
      throw new ApplyError(`applying ${describeObject(p.obj)} failed: ${describeError(e)}. Applied before it: ${applied.map((a) => `${a.kind} ${a.name}`).join(', ') || 'nothing'}; apply the manifest again once the cause is fixed (it is idempotent).`, done, 'apply');
    }
  }
  return { objects: done, namespaceCreatedForDryRun };
}
