// The install manifest the Harness stand-in answers on GET /agents/{id}/deploy.yaml: the objects a Harness agent
// install with Harness-managed Argo CD holds (agent Deployment, ConfigMap with the identity and DR identifier,
// token Secret, RBAC, Argo CD components and config), rendered as multi-document YAML like the real endpoint.
import { stringify } from 'yaml';
import type { FakeNode } from './fakeHarness';

export interface DeployYamlQuery {
  namespace: string;
  drIdentifier?: string;
  skipCrds: boolean;
  token: string;
  version: string;
}

function crd(plural: string, kind: string): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.argoproj.io`, labels: { 'app.kubernetes.io/name': `${plural}.argoproj.io`, 'app.kubernetes.io/part-of': 'argocd' } },
    spec: {
      group: 'argoproj.io',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, subresources: { status: {} } }],
    },
  };
}

function workload(kind: 'Deployment' | 'StatefulSet', name: string, ns: string, image: string, labels: Record<string, string>, replicas = 1): Record<string, unknown> {
  const selector = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: ns, labels: { ...labels, ...selector } },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
      template: { metadata: { labels: selector }, spec: { serviceAccountName: name.startsWith('gitops-agent') ? 'gitops-agent' : name, containers: [{ name: name === 'gitops-agent' ? 'gitops-agent' : name.replace(/^argocd-/, ''), image }] } },
    },
  };
}

export function renderDeployYaml(node: FakeNode, q: DeployYamlQuery): string {
  const ns = q.namespace;
  const ha = node.highAvailability === true;
  const argoChart = { 'helm.sh/chart': 'argo-cd-7.7.11', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/part-of': 'argocd' };
  const agentLabels = {
    'helm.sh/chart': 'gitops-helm-1.14.2',
    'app.kubernetes.io/instance': node.identifier,
    'app.kubernetes.io/component': 'gitops-agent',
    'app.kubernetes.io/part-of': 'harness-gitops',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/version': q.version,
  };
  const clusterRole = q.drIdentifier ? `${node.identifier}-agent-${q.drIdentifier}` : `${node.identifier}-agent`;
  const objects: Array<Record<string, unknown>> = [];
  if (!q.skipCrds) objects.push(crd('applications', 'Application'), crd('applicationsets', 'ApplicationSet'), crd('appprojects', 'AppProject'));
  objects.push(
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'gitops-agent', namespace: ns, labels: agentLabels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'argocd-application-controller', namespace: ns, labels: argoChart } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'argocd-repo-server', namespace: ns, labels: argoChart } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'gitops-agent', namespace: ns, labels: agentLabels },
      rules: [
        { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
        { apiGroups: ['argoproj.io'], resources: ['applications', 'applicationsets', 'appprojects'], verbs: ['*'] },
      ],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'gitops-agent', namespace: ns, labels: agentLabels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gitops-agent' }, subjects: [{ kind: 'ServiceAccount', name: 'gitops-agent', namespace: ns }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: clusterRole, labels: agentLabels }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: clusterRole, labels: agentLabels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole }, subjects: [{ kind: 'ServiceAccount', name: 'gitops-agent', namespace: ns }] },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'gitops-agent', namespace: ns, labels: { ...agentLabels, 'app.kubernetes.io/name': 'harness-gitops-agent-cm' } },
      data: {
        GITOPS_ACCOUNT_IDENTIFIER: node.account,
        GITOPS_AGENT_IDENTIFIER: node.identifier,
        ...(node.org ? { GITOPS_ORG_IDENTIFIER: node.org } : {}),
        ...(node.org && node.project ? { GITOPS_PROJECT_IDENTIFIER: node.project } : {}),
        ...(q.drIdentifier ? { GITOPS_DISASTER_RECOVERY_IDENTIFIER: q.drIdentifier } : {}),
        GITOPS_AGENT_AVAILABILITY_MODE: ha ? 'HA' : 'NON-HA',
        AGENT_HTTP_TARGET: 'https://app.harness.io/gitops',
        GITOPS_SERVICE_HTTP_TLS_ENABLED: 'true',
        GITOPS_ARGOCD_REPO: 'argocd-repo-server:8081',
        GITOPS_ARGOCD_REDIS: 'argocd-redis:6379',
        LOG_LEVEL: 'info',
      },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gitops-agent', namespace: ns, labels: { ...agentLabels, 'app.kubernetes.io/name': 'harness-agent-secret' } }, type: 'Opaque', stringData: { GITOPS_AGENT_TOKEN: q.token } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns, labels: argoChart }, data: { 'application.instanceLabelKey': 'argocd.argoproj.io/instance' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: ns, labels: argoChart }, data: {} },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-ssh-known-hosts-cm', namespace: ns, labels: argoChart }, data: {} },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-tls-certs-cm', namespace: ns, labels: argoChart }, data: {} },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cmd-params-cm', namespace: ns, labels: argoChart }, data: {} },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: ns, labels: argoChart }, type: 'Opaque', stringData: { 'server.secretkey': `fake-${q.token.slice(0, 6)}` } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gitops-agent', namespace: ns, labels: agentLabels }, spec: { selector: { 'app.kubernetes.io/name': 'gitops-agent' }, ports: [{ name: 'http', port: 7910 }] } },
    workload('StatefulSet', 'argocd-application-controller', ns, 'quay.io/argoproj/argocd:v2.13.1', argoChart),
    workload('Deployment', 'argocd-repo-server', ns, 'quay.io/argoproj/argocd:v2.13.1', argoChart),
    workload('Deployment', 'argocd-redis', ns, 'public.ecr.aws/docker/library/redis:7.4.1-alpine', argoChart),
    workload('Deployment', 'argocd-applicationset-controller', ns, 'quay.io/argoproj/argocd:v2.13.1', argoChart),
    workload('Deployment', 'gitops-agent', ns, `harness/gitops-agent:${q.version}`, { ...agentLabels, 'app.kubernetes.io/name': 'harness-gitops-agent' }, ha ? 2 : 1),
  );
  return objects.map((o) => stringify(o)).join('---\n');
}
