// What an agent install creates, as the access review needs it: resource, group, whether namespaced.
import type { ManifestObject } from './manifest';

export interface InstallKind {
  kind: string;
  group: string;
  resource: string;
  namespaced: boolean;
}

/** What a Harness agent install manifest (Harness-managed Argo CD) holds, when the manifest itself is not at hand. */
export const DEFAULT_INSTALL_KINDS: readonly InstallKind[] = [
  { kind: 'Namespace', group: '', resource: 'namespaces', namespaced: false },
  { kind: 'CustomResourceDefinition', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', namespaced: false },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespaced: false },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespaced: false },
  { kind: 'ServiceAccount', group: '', resource: 'serviceaccounts', namespaced: true },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', resource: 'roles', namespaced: true },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespaced: true },
  { kind: 'ConfigMap', group: '', resource: 'configmaps', namespaced: true },
  { kind: 'Secret', group: '', resource: 'secrets', namespaced: true },
  { kind: 'Service', group: '', resource: 'services', namespaced: true },
  { kind: 'Deployment', group: 'apps', resource: 'deployments', namespaced: true },
  { kind: 'StatefulSet', group: 'apps', resource: 'statefulsets', namespaced: true },
  { kind: 'CronJob', group: 'batch', resource: 'cronjobs', namespaced: true },
];

const HA_EXTRA: readonly InstallKind[] = [{ kind: 'HorizontalPodAutoscaler', group: 'autoscaling', resource: 'horizontalpodautoscalers', namespaced: true }];

export function expectedInstallKinds(ha: boolean): InstallKind[] {
  return [...DEFAULT_INSTALL_KINDS, ...(ha ? HA_EXTRA : [])];
}

/** Kinds of a real manifest; the plural comes from the server's discovery (see resolveType), else a guess. */
export function kindsOfManifest(objects: readonly ManifestObject[], plural: (o: ManifestObject) => { resource: string; namespaced: boolean } | undefined): InstallKind[] {
  const seen = new Map<string, InstallKind>();
  for (const o of objects) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
    const key = `${group}/${o.kind}`;
    if (seen.has(key)) continue;
    const known = DEFAULT_INSTALL_KINDS.find((k) => k.kind === o.kind && k.group === group);
    const found = known ?? (plural(o) ? { kind: o.kind, group, ...plural(o)! } : { kind: o.kind, group, resource: `${o.kind.toLowerCase()}s`, namespaced: true });
    seen.set(key, found);
  }
  return [...seen.values()];
}
