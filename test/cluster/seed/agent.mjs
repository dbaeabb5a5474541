// The Harness GitOps agent's footprint in its namespace (what the gitops-helm chart installs).
import { b64 } from './util.mjs';


export const AGENT_DEFAULTS = {
  account: 'kmpySmUISimoRrJL6NL73w',
  org: 'default',
  project: 'gitops_dr',
  identifier: 'gitopsagent',
  version: 'v0.98.1',
  chartVersion: '1.14.2',
  byoaChartVersion: '1.3.14',
  httpTarget: 'https://app.harness.io/gitops',
};

function agentLabels(agent, release, argocd, name) {
  const chart = argocd === 'byoa' ? `gitops-helm-byoa-${agent.byoaChartVersion}` : `gitops-helm-${agent.chartVersion}`;
  return {
    'helm.sh/chart': chart,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/component': 'gitops-agent',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/part-of': 'harness-gitops',
    'app.kubernetes.io/version': agent.version,
  };
}

/** The Harness agent's own objects, as the gitops-helm chart renders them. */
export function agentFootprint(inst, agent, release, argocd) {
  const ns = inst.namespace;
  const ha = !!inst.ha;
  const dr = agent.dr || null;
  const helmAnn = { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns };
  const L = (name) => agentLabels(agent, release, argocd, name);
  const selector = {
    'app.kubernetes.io/name': 'harness-gitops-agent',
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/component': 'gitops-agent',
  };
  const replicas = agent.replicas ?? (ha ? 2 : 1);
  const ready = agent.ready === false ? 0 : replicas;
  const cm = {
    GITOPS_ACCOUNT_IDENTIFIER: agent.account,
    GITOPS_AGENT_IDENTIFIER: agent.identifier,
    ...(agent.org ? { GITOPS_ORG_IDENTIFIER: agent.org } : {}),
    ...(agent.org && agent.project ? { GITOPS_PROJECT_IDENTIFIER: agent.project } : {}),
    ...(dr ? { GITOPS_DISASTER_RECOVERY_IDENTIFIER: dr } : {}),
    GITOPS_SERVICE_HTTP_TLS_ENABLED: 'true',
    GITOPS_SERVICE_HTTP_CERT_FILES: '/tmp/ca.bundle',
    GITOPS_SERVICE_MTLS_ENABLED: 'false',
    GITOPS_SERVICE_HTTP_CLIENT_CERT: '/etc/mtls/client.crt',
    GITOPS_SERVICE_HTTP_CLIENT_KEY: '/etc/mtls/client.key',
    AGENT_HTTP_TARGET: agent.httpTarget,
    GITOPS_SERVICE_PROTOCOL: 'HTTP1',
    GITOPS_AGENT_ENABLE_RECONCILE: 'true',
    GITOPS_AGENT_RECONCILE_INTERVAL: '100',
    GITOPS_AGENT_DISCOVER_APPLICATION_PODS_DURATION_IN_SECS: '120',
    LOG_LEVEL: 'info',
    GITOPS_AGENT_FETCH_TYPE: 'POLLER',
    GITOPS_ARGOCD_REPO: 'argocd-repo-server',
    GITOPS_ARGOCD_REDIS: 'argocd-redis',
    GITOPS_ARGOCD_REDIS_HA: 'redis-ha',
    GITOPS_ARGOCD_REDIS_HA_PROXY: 'redis-ha-haproxy',
    GITOPS_ARGOCD_APP_CONTROLLER: 'argocd-application-controller',
    GITOPS_ARGOCD_APPSET_CONTROLLER: 'argocd-applicationset-controller',
    GITOPS_AGENT_AVAILABILITY_MODE: ha ? 'HA' : 'NON-HA',
    ARGOCD_SERVER_REPO_SERVER: 'argocd-repo-server:8081',
    REDIS_SERVER: ha ? 'argocd-redis-ha-haproxy:6379' : 'argocd-redis:6379',
    GITOPS_AGENT_NUM_FETCHERS: '1',
    GITOPS_AGENT_NUM_PROCESSORS: '1',
    GITOPS_AGENT_NUM_RESPONDERS: '1',
    FIPS_ENABLED: 'false',
  };
  const upgrader = {
    UPGRADER_GITOPS_ACCOUNT_IDENTIFIER: agent.account,
    UPGRADER_GITOPS_AGENT_IDENTIFIER: agent.identifier,
    ...(agent.org ? { UPGRADER_GITOPS_ORG_IDENTIFIER: agent.org } : {}),
    ...(agent.org && agent.project ? { UPGRADER_GITOPS_PROJECT_IDENTIFIER: agent.project } : {}),
    UPGRADER_MODE: 'GitopsAgent',
    UPGRADER_NAMESPACE: ns,
    UPGRADER_WORKLOAD_NAME: 'gitops-agent',
    UPGRADER_CONTAINER_NAME: 'gitops-agent',
    UPGRADER_GITOPS_AGENT_HTTP_TARGET: agent.httpTarget.replace(/\/gitops$/, ''),
    UPGRADER_GITOPS_USE_V2: 'true',
    UPGRADER_GITOPS_ALL: 'false',
  };
  const meta = (name, labelName, extra = {}) => ({
    name, namespace: ns, labels: L(labelName), annotations: helmAnn, ...extra,
  });
  const fakePem = (what) => `-----BEGIN ${what}-----\nRkFLRS1GT1ItVEVTVFMtT05MWS1GQUtFLUZPUi1URVNUUy1PTkxZ\n-----END ${what}-----\n`;
  const clusterRoleName = dr ? `${agent.identifier}-agent-${dr}` : `${agent.identifier}-agent`;
  const objs = [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('gitops-agent', 'harness-gitops-agent'),
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...selector } },
          spec: {
            serviceAccountName: 'gitops-agent',
            containers: [{
              name: 'gitops-agent',
              image: `harness/gitops-agent:${agent.version}`,
              imagePullPolicy: 'Always',
              command: ['/app/agent'],
              envFrom: [{ configMapRef: { name: 'gitops-agent' } }],
              env: [
                { name: 'GITOPS_AGENT_TOKEN', valueFrom: { secretKeyRef: { name: 'gitops-agent', key: 'GITOPS_AGENT_TOKEN' } } },
                { name: 'GITOPS_AGENT_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              ports: [{ name: 'healthz', containerPort: 8090 }, { name: 'metrics', containerPort: 2112 }, { name: 'grpc', containerPort: 7910 }],
              livenessProbe: { httpGet: { path: '/healthz', port: 8090 }, initialDelaySeconds: 10, periodSeconds: 10 },
              readinessProbe: { httpGet: { path: '/healthz', port: 8090 }, initialDelaySeconds: 10, periodSeconds: 10 },
              resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              volumeMounts: [{ name: 'mtls-certs', mountPath: '/etc/mtls', readOnly: true }],
            }],
            volumes: [{ name: 'mtls-certs', secret: { secretName: 'gitops-agent-mtls', optional: true } }],
          },
        },
      },
      status: {
        observedGeneration: 1, replicas, readyReplicas: ready, availableReplicas: ready, updatedReplicas: replicas,
        ...(ready < replicas ? { unavailableReplicas: replicas - ready } : {}),
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('gitops-agent', 'harness-gitops-agent-cm'), data: cm },
    {
      apiVersion: 'v1', kind: 'Secret', metadata: meta('gitops-agent', 'harness-agent-secret'), type: 'Opaque',
      data: { GITOPS_AGENT_TOKEN: b64(`fake-agent-token-${agent.identifier}-${dr || 'nodr'}`) },
    },
    {
      apiVersion: 'v1', kind: 'Secret', metadata: meta('gitops-agent-mtls', 'harness-agent-mtls-secret'), type: 'Opaque',
      data: { 'client.crt': b64(fakePem('CERTIFICATE')), 'client.key': b64(fakePem('PRIVATE KEY')) },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta('gitops-agent', 'harness-gitops-agent'),
      spec: { selector, ports: [{ name: 'grpc', port: 7910, targetPort: 7910 }] },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta('gitops-agent-metrics', 'harness-gitops-agent-metrics'),
      spec: { selector, ports: [{ name: 'http-metrics', port: 2112, targetPort: 2112 }] },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('gitops-agent', 'harness-gitops-agent') },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('gitops-agent', 'harness-gitops-agent'),
      rules: [
        { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'] },
        { apiGroups: ['argoproj.io'], resources: ['applications', 'applicationsets', 'appprojects'], verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('gitops-agent', 'harness-gitops-agent'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gitops-agent' },
      subjects: [{ kind: 'ServiceAccount', name: 'gitops-agent', namespace: ns }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name: clusterRoleName, labels: L('harness-gitops-agent'), annotations: helmAnn },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
      metadata: { name: clusterRoleName, labels: L('harness-gitops-agent'), annotations: helmAnn },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [{ kind: 'ServiceAccount', name: 'gitops-agent', namespace: ns }],
    },
    // The upgrader ConfigMap carries no labels and no DR key (as the chart renders it).
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gitops-agent-upgrader', namespace: ns }, data: upgrader },
    {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('gitops-agent-upgrader', 'harness-gitops-agent-upgrader'),
      spec: {
        schedule: '0 */4 * * *',
        startingDeadlineSeconds: 20,
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          spec: {
            backoffLimit: 0,
            template: {
              spec: {
                serviceAccountName: 'gitops-agent-upgrader',
                restartPolicy: 'Never',
                containers: [{
                  name: 'gitops-agent-upgrader',
                  image: 'harness/upgrader:latest',
                  imagePullPolicy: 'Always',
                  envFrom: [{ configMapRef: { name: 'gitops-agent-upgrader' } }],
                  env: [{ name: 'UPGRADER_TOKEN', valueFrom: { secretKeyRef: { name: 'gitops-agent', key: 'GITOPS_AGENT_TOKEN' } } }],
                }],
              },
            },
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('gitops-agent-upgrader', 'harness-gitops-agent-upgrader') },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('gitops-agent-upgrader', 'harness-gitops-agent-upgrader'),
      rules: [{ apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'patch', 'update'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('gitops-agent-upgrader', 'harness-gitops-agent-upgrader'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gitops-agent-upgrader' },
      subjects: [{ kind: 'ServiceAccount', name: 'gitops-agent-upgrader', namespace: ns }],
    },
  ];
  if (argocd === 'managed') {
    objs.push({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-harness-plugin', 'harness-gitops-agent-plugin'),
      data: {
        'plugin.yaml': [
          'apiVersion: argoproj.io/v1alpha1',
          'kind: ConfigManagementPlugin',
          'metadata:',
          '  name: harness-plugin',
          'spec:',
          '  init:',
          '    command: ["/bin/sh", "-c"]',
          '    args: ["echo init"]',
          '  generate:',
          '    command: ["/bin/sh", "-c"]',
          '    args: ["kustomize build . | envsubst"]',
          '',
        ].join('\n'),
      },
    });
  }
  if (ha) {
    objs.push({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('gitops-agent', 'harness-gitops-agent'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gitops-agent' },
        minReplicas: 2, maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    });
  }
  return objs;
}

// ---------------------------------------------------------------- Argo CD entities
