// Applications around a failover, as plain data: those that deploy into the target's own cluster (an in-cluster
// destination means "this cluster", so after a failover they deploy into the secondary's cluster), those that were
// held back while syncs were denied (OutOfSync, or an operation pending), and the refresh request that makes the new
// primary's Argo CD compare every Application again now instead of at its next resync.
import type { KubeObject } from '../objects/kubeObject';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../argo/argoFacts';

/** Argo CD's refresh annotation: the controller refreshes the Application and removes the annotation. */
export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';

export interface ApplicationName {
  namespace: string;
  name: string;
}

/** An Application that would have synced but for the deny windows. Secret-free: names, statuses, Argo's message. */
export interface HeldBackApplication extends ApplicationName {
  /** `status.sync.status` when OutOfSync. */
  syncStatus?: string;
  /** `requested` (an `.operation` waits to start) or the phase of an operation that has not finished (`Running`). */
  operation?: string;
  /** Argo CD's operation message, shortened. */
  message?: string;
}

export interface RefreshFailure extends ApplicationName {
  reason: string;
}

/** What the failover did and found on the new primary's Applications. */
export interface ApplicationsAfterFailover {
  /** `context/namespace` of the new primary. */
  member: string;
  /** Applications read while syncs were still denied. */
  total: number;
  heldBack: HeldBackApplication[];
  /** Applications asked to refresh after syncs were allowed. */
  refreshed: number;
  refreshFailed: RefreshFailure[];
  /** Why the Applications could not be read (then nothing is listed or refreshed). */
  readError?: string;
}

const nameOf = (app: KubeObject, defaultNamespace: string): ApplicationName => ({ namespace: app.metadata?.namespace || defaultNamespace, name: app.metadata?.name ?? '' });

const byName = (a: ApplicationName, b: ApplicationName): number => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

const UNFINISHED_PHASES = new Set(['Running', 'Terminating']);

interface AppStatus {
  sync?: { status?: string };
  operationState?: { phase?: string; message?: string };
}

/** Applications that are OutOfSync or have an operation requested or unfinished, sorted by namespace and name. */
export function heldBackApplications(apps: readonly KubeObject[], defaultNamespace: string): HeldBackApplication[] {
  const out: HeldBackApplication[] = [];
  for (const app of apps) {
    const status = (app.status ?? {}) as AppStatus;
    const outOfSync = status.sync?.status === 'OutOfSync';
    const phase = status.operationState?.phase;
    const operation = app.operation !== undefined && app.operation !== null ? 'requested' : phase && UNFINISHED_PHASES.has(phase) ? phase : undefined;
    if (!outOfSync && !operation) continue;
    const message = operation && status.operationState?.message ? status.operationState.message.replace(/\s+/g, ' ').slice(0, 160) : undefined;
    out.push({ ...nameOf(app, defaultNamespace), ...(outOfSync ? { syncStatus: 'OutOfSync' } : {}), ...(operation ? { operation } : {}), ...(message ? { message } : {}) });
  }
  return out.sort(byName);
}

interface Destination {
  server?: string;
  name?: string;
}

/** True when the destination is the cluster Argo CD runs in (by server URL or by the name `in-cluster`). */
export function isInClusterDestination(destination: Destination | undefined): boolean {
  if (!destination) return false;
  const server = (destination.server ?? '').replace(/\/+$/, '');
  return server === IN_CLUSTER_SERVER || destination.name === IN_CLUSTER_NAME;
}

/**
 * Applications (and ApplicationSets, by their template) whose destination is the in-cluster server, sorted. An
 * ApplicationSet is named with its kind so a person can tell it from an Application.
 */
export function inClusterApplications(objects: readonly KubeObject[], defaultNamespace: string): ApplicationName[] {
  const out: ApplicationName[] = [];
  for (const o of objects) {
    const spec = (o.spec ?? {}) as { destination?: Destination; template?: { spec?: { destination?: Destination } } };
    if (o.kind === 'Application' && isInClusterDestination(spec.destination)) out.push(nameOf(o, defaultNamespace));
    else if (o.kind === 'ApplicationSet' && isInClusterDestination(spec.template?.spec?.destination)) {
      const n = nameOf(o, defaultNamespace);
      out.push({ ...n, name: `${n.name} (ApplicationSet template)` });
    }
  }
  return out.sort(byName);
}

/** The merge patch that asks Argo CD to refresh an Application (compare with Git again, no hard refresh of caches). */
export function refreshPatch(): { metadata: { annotations: Record<string, string> } } {
  return { metadata: { annotations: { [REFRESH_ANNOTATION]: 'normal' } } };
}

/** `ns/name, ns/name, ... and N more`. */
export function listNames(names: readonly ApplicationName[], limit = 10): string {
  const shown = names.slice(0, limit).map((n) => `${n.namespace}/${n.name}`);
  return `${shown.join(', ')}${names.length > limit ? ` and ${names.length - limit} more` : ''}`;
}

/** One line per held-back Application: `ns/name: OutOfSync; operation Running (message)`. */
export function describeHeldBack(app: HeldBackApplication): string {
  const parts = [app.syncStatus, app.operation ? `operation ${app.operation}${app.message ? ` (${app.message})` : ''}` : undefined].filter((p) => p);
  return `${app.namespace}/${app.name}: ${parts.join('; ')}`;
}
