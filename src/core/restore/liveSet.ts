// What the target namespace holds that a restore compares against and may prune: Argo CD's live set (the four
// ConfigMaps, Argo CD Secrets, AppProjects, Applications and ApplicationSets of enabled namespaces), plus every
// other ConfigMap and Secret of the namespace so a backup object that exists live is updated, never re-created.
// A kind this identity may not list is recorded as unreadable (with the reason) instead of failing the plan.
import { APPLICATION, APPLICATION_SET, APP_PROJECT, BACKUP_KINDS, CONFIG_MAP, SECRET, type ResourceType } from '../objects/resources';
import {
  APPLICATIONSET_NAMESPACES_KEY,
  APPLICATION_NAMESPACES_KEY,
  CMD_PARAMS_CONFIG_MAP,
  REQUIRED_CONFIG_MAPS,
  isArgoSecret,
  isHarnessAgentObject,
} from '../argo/argoFacts';
import { isNamespaceEnabled, parseNamespaceList } from '../argo/namespaces';
import { KubeError, describeError } from '../kube/errors';
import type { KubeClient } from '../kube/client';
import type { KubeObject, ObjectRef } from '../objects/kubeObject';
import { refKey } from '../objects/kubeObject';

export interface EnabledNamespaces {
  applicationNamespaces: string[];
  applicationSetNamespaces: string[];
}

export interface LiveSet {
  /** Every object read, by refKey. */
  byKey: Map<string, KubeObject>;
  /** Argo CD's live set: what a restore may prune (ConfigMaps are in it but never pruned). */
  argoSet: KubeObject[];
  /** Whether (type, namespace) was listed completely, so absence from byKey means "not live". */
  covered(type: ResourceType, namespace: string): boolean;
  /** Why a type could not be read in a namespace (forbidden, CRD missing, ...). */
  unreadable(type: ResourceType, namespace: string): string | undefined;
  warnings: string[];
}

export function refOf(obj: KubeObject, defaultNamespace: string): ObjectRef {
  const apiVersion = obj.apiVersion ?? '';
  return {
    group: apiVersion.includes('/') ? apiVersion.split('/')[0]! : '',
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace || defaultNamespace,
    name: obj.metadata?.name ?? '',
  };
}

/** The enabled app namespaces the target's argocd-cmd-params-cm names (none when it is missing, unlike Argo CD). */
export async function readEnabledNamespaces(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<{ enabled: EnabledNamespaces; warning?: string }> {
  try {
    const cm = await client.get(CONFIG_MAP, namespace, CMD_PARAMS_CONFIG_MAP, signal);
    const data = (cm?.data ?? {}) as Record<string, string>;
    return {
      enabled: {
        applicationNamespaces: parseNamespaceList(data[APPLICATION_NAMESPACES_KEY]),
        applicationSetNamespaces: parseNamespaceList(data[APPLICATIONSET_NAMESPACES_KEY]),
      },
    };
  } catch (e) {
    if (e instanceof KubeError && e.reason === 'cancelled') throw e;
    return {
      enabled: { applicationNamespaces: [], applicationSetNamespaces: [] },
      warning: `cannot read ${CMD_PARAMS_CONFIG_MAP} in ${namespace} (${describeError(e)}): only the target namespace is enabled for Applications and ApplicationSets`,
    };
  }
}

/** Errors that make a kind unreadable instead of failing the whole plan. */
function isUnreadable(e: unknown): e is KubeError {
  return e instanceof KubeError && (e.reason === 'forbidden' || e.reason === 'notFound' || e.reason === 'unauthorized');
}

function unreadableReason(type: ResourceType, namespace: string | undefined, e: KubeError): string {
  const where = namespace ? `in namespace ${namespace}` : 'in all namespaces';
  if (e.reason === 'notFound') return `${type.kind} is not served by this cluster (${type.group || 'core'}/${type.version} CRD missing)`;
  return `${e.reason}: this identity may not list ${type.plural} ${where}`;
}

export interface ReadLiveSetOptions {
  namespace: string;
  enabled: EnabledNamespaces;
  /** Namespaces of backup Applications / ApplicationSets: listed one by one when a cluster-wide list is forbidden. */
  backupNamespaces?: { applications: string[]; applicationSets: string[] };
  signal?: AbortSignal;
}

export async function readLiveSet(client: KubeClient, opts: ReadLiveSetOptions): Promise<LiveSet> {
  const { namespace, enabled, signal } = opts;
  const byKey = new Map<string, KubeObject>();
  const covered = new Set<string>();
  const unreadable = new Map<string, string>();
  const warnings: string[] = [];
  const coverKey = (type: ResourceType, ns: string): string => `${type.group}/${type.kind}/${ns}`;

  /** Lists one type in a namespace (or all, with `ns` undefined); undefined when this identity cannot. */
  const list = async (type: ResourceType, ns: string | undefined): Promise<KubeObject[] | undefined> => {
    try {
      const items = await client.listAll(type, ns, signal ? { signal } : {});
      for (const item of items) {
        // The server's field ownership: never compared, never written back (an update omits it), and often larger
        // than the object itself; 5,000 live objects would hold it all for the length of the plan.
        if (item.metadata) delete item.metadata.managedFields;
        item.apiVersion ??= type.group ? `${type.group}/${type.version}` : type.version;
        item.kind ??= type.kind;
        byKey.set(refKey(refOf(item, ns ?? '')), item);
      }
      covered.add(coverKey(type, ns ?? '*'));
      return items;
    } catch (e) {
      if (!isUnreadable(e)) throw e;
      unreadable.set(coverKey(type, ns ?? '*'), unreadableReason(type, ns, e));
      return undefined;
    }
  };

  const readAppKind = async (type: ResourceType, patterns: string[], backupNs: string[]): Promise<KubeObject[]> => {
    if (patterns.length === 0) return (await list(type, namespace)) ?? [];
    const all = await list(type, undefined);
    if (all) return all.filter((o) => isNamespaceEnabled(o.metadata?.namespace ?? namespace, namespace, patterns));
    // A namespaced identity: list the target namespace and the enabled namespaces the backup names.
    const namespaces = [...new Set([namespace, ...backupNs.filter((ns) => isNamespaceEnabled(ns, namespace, patterns))])];
    warnings.push(`cannot list ${type.plural} in all namespaces (${unreadable.get(coverKey(type, '*'))}): compared and pruned only in ${namespaces.join(', ')}`);
    const out: KubeObject[] = [];
    for (const ns of namespaces) out.push(...((await list(type, ns)) ?? []));
    return out;
  };

  const [configMaps, secrets, projects, apps, appSets] = await Promise.all([
    list(CONFIG_MAP, namespace),
    list(SECRET, namespace),
    list(APP_PROJECT, namespace),
    readAppKind(APPLICATION, enabled.applicationNamespaces, opts.backupNamespaces?.applications ?? []),
    readAppKind(APPLICATION_SET, enabled.applicationSetNamespaces, opts.backupNamespaces?.applicationSets ?? []),
  ]);

  const argoSet: KubeObject[] = [
    ...(configMaps ?? []).filter((cm) => (REQUIRED_CONFIG_MAPS as readonly string[]).includes(cm.metadata?.name ?? '')),
    ...(secrets ?? []).filter((s) => isArgoSecret(s) && !isHarnessAgentObject(s)),
    ...(projects ?? []),
    ...apps,
    ...appSets,
  ];

  return {
    byKey,
    argoSet,
    covered: (type, ns) => covered.has(coverKey(type, ns)) || covered.has(coverKey(type, '*')),
    unreadable: (type, ns) => (covered.has(coverKey(type, ns)) || covered.has(coverKey(type, '*')) ? undefined : unreadable.get(coverKey(type, ns))),
    warnings,
  };
}

/** The API resource of a planned object. */
export function typeOfRef(ref: ObjectRef): ResourceType {
  const type = BACKUP_KINDS.find((t) => t.kind === ref.kind && t.group === ref.group);
  if (!type) throw new Error(`${ref.group}/${ref.kind} is not a kind a restore writes`);
  return type;
}
