// The backup `argocd admin export` makes, through the Kubernetes API (no exec into a pod): the same objects in
// the same order, cut down the same way, written as the same YAML text. Lists are paged (limit/continue) and each
// page is written to the sink before the next is read, so memory holds about one page (plus one page fetched
// ahead) whatever the number of Applications.
//
// Where this differs from Argo CD on purpose:
//   - a missing argocd-cmd-params-cm is a warning (Argo CD stops): Applications and ApplicationSets of the
//     control-plane namespace are exported;
//   - a missing one of the four Argo CD ConfigMaps is listed in `missing` (Argo CD stops): everything else is exported;
//   - any other refusal (forbidden, unreachable, timeout) fails the whole backup with a message naming the
//     permission; a backup never silently lacks Secrets.
import { KubeError } from '../kube/errors';
import type { RequestOptions } from '../kube/client';
import type { KubeObject, ObjectList } from '../objects/kubeObject';
import { APPLICATION, APPLICATION_SET, APP_PROJECT, CONFIG_MAP, SECRET, resourcePath, type ResourceType } from '../objects/resources';
import {
  APPLICATIONSET_NAMESPACES_KEY,
  APPLICATION_NAMESPACES_KEY,
  CMD_PARAMS_CONFIG_MAP,
  REQUIRED_CONFIG_MAPS,
  isArgoSecret,
} from '../argo/argoFacts';
import { isNamespaceEnabled, parseNamespaceList } from '../argo/namespaces';
import { writeArgoYamlDocument } from '../yaml/argoYaml';
import { sanitiseForBackup } from './sanitise';
import { parseKubeJson } from './losslessJson';
import { PagedList } from './pagedList';
import { quiet } from '../util/quiet';

/** What the export needs from a cluster connection; KubeClient provides it. */
export interface BackupApi {
  requestText(path: string, opts?: RequestOptions): Promise<string>;
}

export type BackupKind = 'ConfigMap' | 'Secret' | 'AppProject' | 'Application' | 'ApplicationSet';
export const BACKUP_KIND_ORDER: readonly BackupKind[] = ['ConfigMap', 'Secret', 'AppProject', 'Application', 'ApplicationSet'];

export type BackupCounts = Record<BackupKind, number>;

export interface BackupProgress {
  kind: BackupKind;
  counts: Readonly<BackupCounts>;
  total: number;
}

export interface BackupOptions {
  /** The Argo CD (control-plane) namespace: the agent's namespace. */
  namespace: string;
  /** Globs (or /regex/) of other namespaces whose Applications are exported; default: from argocd-cmd-params-cm. */
  applicationNamespaces?: string[];
  /** Same for ApplicationSets. */
  applicationSetNamespaces?: string[];
  /** Objects per list page. */
  pageSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: BackupProgress) => void;
}

export interface BackupResult {
  mode: 'native' | 'exec';
  namespace: string;
  counts: BackupCounts;
  /** Objects `argocd admin export` requires that were not there, e.g. `ConfigMap argocd-tls-certs-cm`. */
  missing: string[];
  warnings: string[];
  /** Namespace patterns in force for Applications / ApplicationSets besides the control-plane namespace. */
  applicationNamespaces: string[];
  applicationSetNamespaces: string[];
  bytes: number;
  durationMs: number;
}

export type BackupSink = (chunk: string) => void | Promise<void>;

const DEFAULT_PAGE_SIZE = 500;

export function emptyCounts(): BackupCounts {
  return { ConfigMap: 0, Secret: 0, AppProject: 0, Application: 0, ApplicationSet: 0 };
}

function qualifiedPlural(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** A forbidden answer turned into a message that names the permission the identity lacks. */
function forbiddenError(e: KubeError, verb: string, type: ResourceType, namespace: string | undefined, why = ''): KubeError {
  const where = namespace ? `in namespace ${namespace}` : 'in all namespaces';
  const scope = namespace ? `in namespace ${namespace}` : 'cluster-wide';
  return new KubeError(
    'forbidden',
    `forbidden: this identity may not ${verb} ${qualifiedPlural(type)} ${where} (needs ${verb} on ${qualifiedPlural(type)} ${scope})${why}; no backup was written`,
    e.status,
    { ...e.details, verb, resource: qualifiedPlural(type) },
  );
}

async function getObject(api: BackupApi, type: ResourceType, namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
  try {
    return parseKubeJson(await api.requestText(resourcePath(type, namespace, name), signal ? { signal } : {})) as KubeObject;
  } catch (e) {
    if (e instanceof KubeError && e.reason === 'notFound') return undefined;
    if (e instanceof KubeError && e.reason === 'forbidden') throw forbiddenError(e, 'get', type, namespace);
    throw e;
  }
}

/** Items of core lists come without kind/apiVersion; Argo CD's dynamic client fills them in from the list. */
function withTypeFromList(item: KubeObject, list: ObjectList): KubeObject {
  if (item.kind || item.apiVersion) return item;
  return { ...item, kind: (list.kind ?? '').replace(/List$/, ''), apiVersion: list.apiVersion ?? '' };
}

interface EnabledNamespaces {
  applications: string[];
  applicationSets: string[];
}

async function resolveEnabledNamespaces(api: BackupApi, options: BackupOptions, warnings: string[]): Promise<EnabledNamespaces> {
  let applications = options.applicationNamespaces ?? [];
  let applicationSets = options.applicationSetNamespaces ?? [];
  if (applications.length > 0 && applicationSets.length > 0) return { applications, applicationSets };
  const cm = await getObject(api, CONFIG_MAP, options.namespace, CMD_PARAMS_CONFIG_MAP, options.signal);
  if (!cm) {
    warnings.push(
      `ConfigMap ${CMD_PARAMS_CONFIG_MAP} not found in namespace ${options.namespace}: Applications and ApplicationSets of other namespaces are not exported unless given as options (argocd admin export stops here instead)`,
    );
    return { applications, applicationSets };
  }
  const data = (cm.data ?? {}) as Record<string, unknown>;
  const fromConfig = (key: string): string[] => (typeof data[key] === 'string' ? parseNamespaceList(data[key] as string) : []);
  if (applications.length === 0) applications = fromConfig(APPLICATION_NAMESPACES_KEY);
  if (applicationSets.length === 0) applicationSets = fromConfig(APPLICATIONSET_NAMESPACES_KEY);
  return { applications, applicationSets };
}

/**
 * Exports the Argo CD objects of `options.namespace` to `sink`, in `argocd admin export` order and format.
 * Throws a KubeError (reason forbidden / timeout / cancelled / ...) when the backup cannot be complete; the caller
 * discards whatever the sink received.
 */
export async function exportBackup(api: BackupApi, options: BackupOptions, sink: BackupSink): Promise<BackupResult> {
  const started = Date.now();
  const ns = options.namespace;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const signal = options.signal;
  const counts = emptyCounts();
  const missing: string[] = [];
  const warnings: string[] = [];
  let bytes = 0;
  let total = 0;

  // The sink writes while the next page is rendered; one write at a time keeps memory at about a page of text.
  let writing: Promise<void> = Promise.resolve();
  const write = async (chunk: string): Promise<void> => {
    if (chunk.length === 0) return;
    if (signal?.aborted) throw new KubeError('cancelled', 'cancelled: backup stopped');
    bytes += Buffer.byteLength(chunk, 'utf8');
    await writing;
    writing = Promise.resolve(sink(chunk));
    writing.catch(() => undefined); // reported by the next write or at the end
  };
  const render = (obj: KubeObject, kind: BackupKind): string => {
    counts[kind]++;
    total++;
    options.onProgress?.({ kind, counts, total });
    return writeArgoYamlDocument(sanitiseForBackup(obj, ns));
  };
  const openList = (type: ResourceType, namespace: string | undefined): PagedList =>
    new PagedList((token) => api.requestText(resourcePath(type, namespace), { query: { limit: pageSize, continue: token }, signal: inner.signal })).start();
  /** Writes every item of a list that `keep` accepts, one page at a time. */
  const exportList = async (list: PagedList, type: ResourceType, kind: BackupKind, namespace: string | undefined, keep: (o: KubeObject) => boolean, why = ''): Promise<void> => {
    try {
      for await (const page of list.pages()) {
        let text = '';
        for (const item of page.items()) {
          const obj = withTypeFromList(item, page.list);
          if (keep(obj)) text += render(obj, kind);
        }
        await write(text);
      }
    } catch (e) {
      if (e instanceof KubeError && e.reason === 'forbidden') throw forbiddenError(e, 'list', type, namespace, why);
      throw e;
    }
  };

  // Every request is made up front and the answers are written in `argocd admin export` order as they come: the
  // server prepares the next list while this one is written. Only the first page of each list is held ahead.
  const inner = new AbortController();
  const abortInner = (): void => inner.abort();
  signal?.addEventListener('abort', abortInner, { once: true });
  let enabled: EnabledNamespaces = { applications: [], applicationSets: [] };
  try {
    const enabledPromise = quiet(resolveEnabledNamespaces(api, { ...options, signal: inner.signal }, warnings));
    const configMaps = REQUIRED_CONFIG_MAPS.map((name) => ({ name, object: quiet(getObject(api, CONFIG_MAP, ns, name, inner.signal)) }));
    const secrets = openList(SECRET, ns);
    const projects = openList(APP_PROJECT, ns);
    enabled = await enabledPromise;
    const appsScope = enabled.applications.length > 0 ? undefined : ns;
    const appSetsScope = enabled.applicationSets.length > 0 ? undefined : ns;
    const applications = openList(APPLICATION, appsScope);
    const applicationSets = openList(APPLICATION_SET, appSetsScope);

    for (const { name, object } of configMaps) {
      const cm = await object;
      if (cm) await write(render(cm, 'ConfigMap'));
      else missing.push(`ConfigMap ${name}`);
    }
    if (missing.length > 0) {
      warnings.push(`not found in namespace ${ns}: ${missing.join(', ')} (argocd admin export stops here; this backup holds everything else)`);
    }

    await exportList(secrets, SECRET, 'Secret', ns, isArgoSecret);
    await exportList(projects, APP_PROJECT, 'AppProject', ns, () => true);

    const appsWhy = enabled.applications.length > 0 ? `, because Applications are enabled in namespaces ${enabled.applications.join(',')}` : '';
    await exportList(applications, APPLICATION, 'Application', appsScope, (o) => isNamespaceEnabled(o.metadata?.namespace ?? '', ns, enabled.applications), appsWhy);

    const appSetsWhy = enabled.applicationSets.length > 0 ? `, because ApplicationSets are enabled in namespaces ${enabled.applicationSets.join(',')}` : '';
    try {
      await exportList(applicationSets, APPLICATION_SET, 'ApplicationSet', appSetsScope, (o) => isNamespaceEnabled(o.metadata?.namespace ?? '', ns, enabled.applicationSets), appSetsWhy);
    } catch (e) {
      // As argocd admin export: ApplicationSets are optional (the CRD may be absent, or the identity not allowed).
      if (e instanceof KubeError && e.reason === 'notFound') warnings.push('ApplicationSets: the ApplicationSet resource is not served by this cluster; none exported');
      else if (e instanceof KubeError && e.reason === 'forbidden' && counts.ApplicationSet === 0) warnings.push(`ApplicationSets not exported: ${e.message.replace(/; no backup was written$/, '')}`);
      else throw e;
    }
    await writing;
  } catch (e) {
    await writing.catch(() => undefined); // never leave a write running behind a failure
    // A request the outer signal cancelled reports the outer reason (not the inner abort's).
    if (signal?.aborted && !(e instanceof KubeError && e.reason === 'cancelled')) throw new KubeError('cancelled', 'cancelled: backup stopped');
    throw e;
  } finally {
    signal?.removeEventListener('abort', abortInner);
    inner.abort(); // requests still in flight (a list after a failure) are not needed
  }

  return {
    mode: 'native',
    namespace: ns,
    counts,
    missing,
    warnings,
    applicationNamespaces: enabled.applications,
    applicationSetNamespaces: enabled.applicationSets,
    bytes,
    durationMs: Date.now() - started,
  };
}
