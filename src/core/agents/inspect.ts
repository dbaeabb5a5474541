// Reads one agent namespace: identity and type from the gitops-agent ConfigMap, version and readiness from the
// Deployment, Argo CD component readiness, and entity counts (metadata only: Secret data never leaves the server).
import type { KubeClient } from '../kube/client';
import { KubeError } from '../kube/errors';
import type { KubeObject } from '../objects/kubeObject';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, CONFIG_MAP, DEPLOYMENT, SECRET, STATEFUL_SET, type ResourceType } from '../objects/resources';
import { AGENT_DEPLOYMENT, AGENT_KEYS, APPLICATION_NAMESPACES_KEY, CMD_PARAMS_CONFIG_MAP, SECRET_TYPE_LABEL } from '../argo/argoFacts';
import { isNamespaceEnabled, parseNamespaceList } from '../argo/namespaces';
import type { AppProject } from '../syncWindows/model';
import type { Availability, ComponentHealth, DiscoveredAgent, EntityCounts, Readiness } from './model';
import { syncStateOf } from './syncState';

interface Workload extends KubeObject {
  spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } };
  status?: { readyReplicas?: number; replicas?: number };
}

/** Argo CD workloads an agent namespace holds (Harness-managed or BYOA), by name prefix. */
const ARGO_COMPONENT = /^argocd-(application-controller|applicationset-controller|repo-server|redis|redis-ha-haproxy|redis-ha-server|server)$/;

function readinessOf(w: Workload): Readiness {
  return { ready: w.status?.readyReplicas ?? 0, desired: w.spec?.replicas ?? 1 };
}

/** The image tag of the agent container: `harness/gitops-agent:v0.88.1` -> `v0.88.1`. */
export function agentVersion(deployment: Workload | undefined): string | undefined {
  const containers = deployment?.spec?.template?.spec?.containers ?? [];
  const image = (containers.find((c) => c.name === 'gitops-agent') ?? containers[0])?.image;
  if (!image) return undefined;
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(colon + 1) : at >= 0 ? image.slice(at + 1, at + 20) : 'latest';
}

function availabilityOf(value: string | undefined): Availability {
  const v = (value ?? '').toUpperCase();
  return v === 'HA' ? 'HA' : v === 'NON-HA' || v === 'NON_HA' ? 'NON-HA' : 'unknown';
}

/**
 * BYOA (the agent reuses an Argo CD it did not install) vs Harness-managed. The chart label of the agent says it
 * (`gitops-helm-byoa-*` vs `gitops-helm-*`); without it, a managed install's Argo CD carries the argo-cd subchart's
 * label.
 */
function isByoa(agentDeployment: Workload | undefined, argoWorkloads: Workload[]): boolean {
  const chart = agentDeployment?.metadata?.labels?.['helm.sh/chart'] ?? '';
  if (chart.startsWith('gitops-helm-byoa')) return true;
  if (chart.startsWith('gitops-helm')) return false;
  const argoChart = argoWorkloads.map((w) => w.metadata?.labels?.['helm.sh/chart'] ?? '').find((c) => c.length > 0);
  return argoChart !== undefined && !argoChart.startsWith('argo-cd');
}

/** Number of objects, or undefined when this identity may not list them. */
async function countOf(client: KubeClient, type: ResourceType, namespace: string | undefined, signal?: AbortSignal, labelSelector?: string, keep?: (o: KubeObject) => boolean): Promise<number | undefined> {
  try {
    let n = 0;
    for await (const page of client.listPages(type, namespace, { metadataOnly: true, limit: 1000, ...(labelSelector ? { labelSelector } : {}), ...(signal ? { signal } : {}) })) {
      n += keep ? page.items.filter(keep).length : page.items.length;
    }
    return n;
  } catch (e) {
    if (e instanceof KubeError && (e.reason === 'forbidden' || e.reason === 'notFound')) return undefined;
    throw e;
  }
}

async function listOrEmpty<T extends KubeObject>(client: KubeClient, type: ResourceType, namespace: string, signal?: AbortSignal): Promise<T[]> {
  try {
    return await client.listAll<T>(type, namespace, signal ? { signal } : {});
  } catch (e) {
    if (e instanceof KubeError && e.reason === 'forbidden') return [];
    throw e;
  }
}

/** Every object, or undefined when this identity may not list them (or the kind is not installed). */
async function listOrUndefined<T extends KubeObject>(client: KubeClient, type: ResourceType, namespace: string, signal?: AbortSignal): Promise<T[] | undefined> {
  try {
    return await client.listAll<T>(type, namespace, signal ? { signal } : {});
  } catch (e) {
    if (e instanceof KubeError && (e.reason === 'forbidden' || e.reason === 'notFound')) return undefined;
    throw e;
  }
}

export interface InspectInput {
  context: string;
  clusterId: string;
  namespace: string;
  /** The agent ConfigMap already read by the caller. */
  agentConfigMap: KubeObject & { data?: Record<string, string> };
}

/** Everything the tree shows about one agent namespace. */
export async function inspectAgent(client: KubeClient, input: InspectInput, signal?: AbortSignal): Promise<DiscoveredAgent> {
  const { namespace } = input;
  const data = input.agentConfigMap.data ?? {};
  // One round of requests: only the Applications count waits for argocd-cmd-params-cm (its namespaces).
  const cmdParamsRequest = client.get<KubeObject & { data?: Record<string, string> }>(CONFIG_MAP, namespace, CMD_PARAMS_CONFIG_MAP, signal).catch(() => undefined);
  const countApplications = async (): Promise<number | undefined> => {
    const appNamespaces = parseNamespaceList((await cmdParamsRequest)?.data?.[APPLICATION_NAMESPACES_KEY]);
    if (appNamespaces.length === 0) return countOf(client, APPLICATION, namespace, signal);
    const inEnabledNamespace = (o: KubeObject): boolean => isNamespaceEnabled(o.metadata?.namespace ?? '', namespace, appNamespaces);
    return (await countOf(client, APPLICATION, undefined, signal, undefined, inEnabledNamespace)) ?? countOf(client, APPLICATION, namespace, signal);
  };
  const [deployments, statefulSets, applications, appProjects, applicationSets, repositories, repoCreds, clusters] = await Promise.all([
    listOrEmpty<Workload>(client, DEPLOYMENT, namespace, signal),
    listOrEmpty<Workload>(client, STATEFUL_SET, namespace, signal),
    countApplications(),
    // Whole objects (a handful per agent): their sync windows tell whether the agent is fenced.
    listOrUndefined<AppProject>(client, APP_PROJECT, namespace, signal),
    countOf(client, APPLICATION_SET, namespace, signal),
    countOf(client, SECRET, namespace, signal, `${SECRET_TYPE_LABEL}=repository`),
    countOf(client, SECRET, namespace, signal, `${SECRET_TYPE_LABEL}=repo-creds`),
    countOf(client, SECRET, namespace, signal, `${SECRET_TYPE_LABEL}=cluster`),
  ]);
  const agentDeployment = deployments.find((d) => d.metadata?.name === AGENT_DEPLOYMENT);
  const argoWorkloads = [...statefulSets, ...deployments].filter((w) => ARGO_COMPONENT.test(w.metadata?.name ?? ''));
  const argoComponents: ComponentHealth[] = argoWorkloads
    .map((w) => ({ name: w.metadata?.name ?? '', kind: (statefulSets.includes(w) ? 'StatefulSet' : 'Deployment') as ComponentHealth['kind'], readiness: readinessOf(w) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const counts: EntityCounts = {};
  if (applications !== undefined) counts.applications = applications;
  if (appProjects !== undefined) counts.appProjects = appProjects.length;
  if (applicationSets !== undefined) counts.applicationSets = applicationSets;
  if (repositories !== undefined) counts.repositories = repositories + (repoCreds ?? 0);
  if (clusters !== undefined) counts.clusters = clusters;

  const version = agentVersion(agentDeployment);
  const drIdentifier = data[AGENT_KEYS.drIdentifier]?.trim();
  const org = data[AGENT_KEYS.org]?.trim();
  const project = data[AGENT_KEYS.project]?.trim();
  const harnessUrl = data[AGENT_KEYS.harnessUrl]?.trim();
  return {
    id: `${input.context}/${namespace}`,
    context: input.context,
    clusterId: input.clusterId,
    server: client.server,
    namespace,
    identity: {
      account: data[AGENT_KEYS.account]?.trim() ?? '',
      agent: data[AGENT_KEYS.agent]?.trim() ?? '',
      ...(org ? { org } : {}),
      ...(project ? { project } : {}),
    },
    ...(drIdentifier ? { drIdentifier } : {}),
    availability: availabilityOf(data[AGENT_KEYS.availability]),
    byoa: isByoa(agentDeployment, argoWorkloads),
    ...(version ? { version } : {}),
    agent: agentDeployment ? readinessOf(agentDeployment) : { ready: 0, desired: 0 },
    argoComponents,
    counts,
    ...(appProjects !== undefined ? { syncs: syncStateOf(appProjects, new Date()) } : {}),
    ...(harnessUrl ? { harnessUrl } : {}),
    alsoVia: [],
  };
}
