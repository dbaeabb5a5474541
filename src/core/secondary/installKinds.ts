// What an agent install creates, as the access review needs it: resource, group, whether namespaced.

export interface InstallKind {
  kind: string;
  group: string;
  resource: string;
  namespaced: boolean;
}

/** What a Harness agent install manifest (Harness-managed Argo CD) holds, when the manifest itself is not at hand. */
const DEFAULT_INSTALL_KINDS: readonly InstallKind[] = [
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
