// Where Argo CD's and the Harness agent's objects live in the Kubernetes API, and how to name them in paths.

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export const CONFIG_MAP: ResourceType = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
export const SECRET: ResourceType = { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
export const NAMESPACE: ResourceType = { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };
export const DEPLOYMENT: ResourceType = { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true };
export const STATEFUL_SET: ResourceType = { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true };
export const APP_PROJECT: ResourceType = { group: 'argoproj.io', version: 'v1alpha1', kind: 'AppProject', plural: 'appprojects', namespaced: true };
export const APPLICATION: ResourceType = { group: 'argoproj.io', version: 'v1alpha1', kind: 'Application', plural: 'applications', namespaced: true };
export const APPLICATION_SET: ResourceType = { group: 'argoproj.io', version: 'v1alpha1', kind: 'ApplicationSet', plural: 'applicationsets', namespaced: true };

/** The kinds a backup may hold and a restore can write, in Argo CD's export order. */
export const BACKUP_KINDS: readonly ResourceType[] = [CONFIG_MAP, SECRET, APP_PROJECT, APPLICATION, APPLICATION_SET];

export function resourceTypeOfKind(apiVersion: string | undefined, kind: string | undefined): ResourceType | undefined {
  const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : '';
  return BACKUP_KINDS.find((t) => t.kind === kind && t.group === group);
}

/** API path of a collection (no name) or of one object. */
export function resourcePath(type: ResourceType, namespace?: string, name?: string): string {
  const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${ns}/${type.plural}${tail}`;
}
