// Turns a scenario (data, scenarios/<name>.json) into apply plans, one per
// cluster, for `testcluster apply`. Everything here is deterministic: the same
// scenario always yields the same objects (names, counts, statuses), so tests
// can assert exact facts (README.md lists them).
//
// No credentials are real: every token, password and key is a fixed fake.

import fs from 'node:fs';
import path from 'node:path';

const NOW = '2026-01-15T10:00:00Z';
const b64 = (s) => Buffer.from(String(s), 'utf8').toString('base64');
const pad = (n, w) => String(n).padStart(w, '0');
/** A stable fake git SHA derived from a string. */
function sha(s) {
  let h1 = 0x811c9dc5, out = '';
  for (let round = 0; out.length < 40; round++) {
    for (const c of `${s}#${round}`) h1 = Math.imul(h1 ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

// ---------------------------------------------------------------- defaults

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

const SERVICES = [
  ['payments-api', 'payments'], ['checkout-web', 'storefront'], ['catalog-svc', 'storefront'],
  ['ledger-worker', 'payments'], ['ingress-nginx', 'platform'], ['cert-manager', 'platform'],
  ['search-indexer', 'storefront'], ['fraud-scorer', 'payments'], ['metrics-stack', 'platform'],
  ['notifications', 'storefront'],
];
const ENVS = ['dev', 'qa', 'staging', 'prod'];
const SYNC = ['Synced', 'Synced', 'OutOfSync', 'Synced', 'Unknown'];
const HEALTH = ['Healthy', 'Healthy', 'Progressing', 'Healthy', 'Degraded', 'Healthy', 'Missing', 'Suspended'];

// ---------------------------------------------------------------- plans

/**
 * @param {object} scenario parsed scenario JSON
 * @param {{fixtures: string}} opts fixtures = directory holding crds/, namespace-install.yaml, ha/
 * @returns {Map<string, object>} cluster name -> plan
 */
export function buildPlans(scenario, { fixtures }) {
  const crdDir = path.join(fixtures, 'crds');
  const crdFiles = fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(crdDir, f));
  const plans = new Map();
  for (const cluster of scenario.clusters) {
    const steps = [];
    steps.push({ name: 'argo-crds', files: crdFiles });
    steps.push({ name: 'rbac-limited', objects: limitedRbac() });
    for (const inst of cluster.installs || []) {
      const ns = inst.namespace;
      const ha = !!inst.ha;
      const argocd = inst.argocd || 'managed'; // managed | byoa
      const agent = { ...AGENT_DEFAULTS, ...(inst.agent || {}) };
      const release = agent.release || agent.identifier;
      const managedMarks = argocd === 'managed'
        ? {
            labels: { 'helm.sh/chart': 'argo-cd-7.7.11', 'app.kubernetes.io/managed-by': 'Helm' },
            annotations: { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns },
          }
        : {};
      steps.push({
        name: `argocd-install:${ns}`,
        namespace: ns,
        files: [path.join(fixtures, ha ? 'ha/namespace-install.yaml' : 'namespace-install.yaml')],
        objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }],
        readyWorkloads: true,
        ...managedMarks,
      });
      steps.push({ name: `argocd-config:${ns}`, namespace: ns, objects: argoConfig(inst, argocd) });
      steps.push({ name: `agent:${ns}`, namespace: ns, objects: agentFootprint(inst, agent, release, argocd) });
      const ent = entities(inst, agent);
      if (ent.length) steps.push({ name: `entities:${ns}`, namespace: ns, objects: ent });
    }
    plans.set(cluster.name, { concurrency: cluster.concurrency || 16, steps });
  }
  return plans;
}

/** ClusterRole for user `limited`: read everything except Secrets. */
function limitedRbac() {
  const resources = [
    'pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'namespaces', 'serviceaccounts', 'events',
    'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers', 'resourcequotas',
    'limitranges', 'podtemplates', 'componentstatuses',
    'deployments', 'deployments/scale', 'statefulsets', 'statefulsets/scale', 'replicasets', 'daemonsets',
    'controllerrevisions', 'jobs', 'cronjobs', 'horizontalpodautoscalers', 'poddisruptionbudgets',
    'networkpolicies', 'ingresses', 'ingressclasses', 'endpointslices', 'leases', 'storageclasses',
    'priorityclasses', 'runtimeclasses', 'csidrivers', 'csinodes', 'volumeattachments',
    'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings',
    'customresourcedefinitions', 'apiservices', 'flowschemas', 'prioritylevelconfigurations',
    'mutatingwebhookconfigurations', 'validatingwebhookconfigurations',
    'validatingadmissionpolicies', 'validatingadmissionpolicybindings',
    'applications', 'applicationsets', 'appprojects',
  ];
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name: 'gitops-dr:limited-reader', labels: { 'gitops-dr.test/harness': 'true' } },
      rules: [{ apiGroups: ['*'], resources, verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
      metadata: { name: 'gitops-dr:limited-reader', labels: { 'gitops-dr.test/harness': 'true' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'gitops-dr:limited-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'limited' }],
    },
  ];
}

/** Settings layered over the upstream install (server-side applied). */
function argoConfig(inst, argocd) {
  const ns = inst.namespace;
  const appNs = (inst.applicationNamespaces || []).join(',');
  const objs = [
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns },
      data: {
        'admin.enabled': 'true',
        'application.instanceLabelKey': 'argocd.argoproj.io/instance',
        url: `https://argocd.${ns}.example.internal`,
        'timeout.reconciliation': '180s',
      },
    },
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: ns },
      data: { 'policy.default': 'role:readonly', 'policy.csv': 'g, acme:platform-admins, role:admin\n' },
    },
    {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: ns }, type: 'Opaque',
      data: {
        'admin.password': b64('$2a$10$FAKEFAKEFAKEFAKEFAKEFuD1m9Qn3nK1y5bq8yHc2x1o4zj0yYxW'),
        'admin.passwordMtime': b64('2026-01-01T00:00:00Z'),
        'server.secretkey': b64('fake-server-secret-key-not-real'),
      },
    },
  ];
  if (appNs) {
    objs.push({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cmd-params-cm', namespace: ns },
      data: { 'application.namespaces': appNs, 'applicationsetcontroller.namespaces': appNs },
    });
  }
  if (argocd === 'managed') {
    // Harness-managed Argo CD runs without argocd-server.
    objs.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'argocd-server', namespace: ns },
      spec: { replicas: 0 },
      status: { observedGeneration: 2, replicas: 0 },
    });
  }
  return objs;
}

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

/** The Harness agent's own objects (domain-facts.md section 1). */
function agentFootprint(inst, agent, release, argocd) {
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

function projectNames(n) {
  const base = ['platform', 'payments', 'storefront', 'data', 'security', 'mobile'];
  return Array.from({ length: n }, (_, i) => (n <= base.length ? base[i] : `project-${pad(i + 1, 4)}`));
}

function appName(i, total) {
  if (total <= SERVICES.length * ENVS.length) {
    const [svc] = SERVICES[i % SERVICES.length];
    return `${svc}-${ENVS[Math.floor(i / SERVICES.length) % ENVS.length]}`;
  }
  return `app-${pad(i + 1, 5)}`;
}

function entities(inst, agent) {
  const e = inst.entities || {};
  const ns = inst.namespace;
  const objs = [];
  const projects = projectNames(e.projects || 0);
  const sourceNamespaces = inst.applicationNamespaces || [];
  const gitBase = e.gitBase || 'https://git.example.com/acme';
  // --- AppProjects (always the `default` project Argo CD itself creates)
  objs.push({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: ns },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
  projects.forEach((p, i) => {
    const spec = {
      description: `Applications of the ${p} team`,
      sourceRepos: [`${gitBase}/*`, 'https://charts.example.com/stable'],
      destinations: [
        { server: 'https://kubernetes.default.svc', namespace: `${p}-*` },
        { name: 'prod-eu', namespace: `${p}-*` },
      ],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
      ...(sourceNamespaces.length ? { sourceNamespaces } : {}),
      roles: [{
        name: 'ci',
        description: `CI pipeline of ${p}`,
        policies: [`p, proj:${p}:ci, applications, sync, ${p}/*, allow`],
        groups: [`acme:${p}-ci`],
      }],
    };
    if (i === 1 % Math.max(projects.length, 1) && projects.length <= 10) {
      spec.syncWindows = [{ kind: 'deny', schedule: '0 22 * * 5', duration: '60h', applications: ['*-prod'], manualSync: true, timeZone: 'Europe/Berlin' }];
    }
    objs.push({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject',
      metadata: { name: p, namespace: ns, labels: { 'acme.example/team': p } },
      spec,
    });
  });
  // --- Applications in the Argo CD namespace
  const nApps = e.applications || 0;
  const inflight = e.operationsInFlight ?? (nApps ? 1 : 0);
  // With oddStrings, the last of the `applications` is the `odd-strings` one.
  const regular = e.oddStrings && nApps ? nApps - 1 : nApps;
  for (let i = 0; i < regular; i++) {
    objs.push(application({ i, total: nApps, ns, projects, gitBase, inflight: i < inflight }));
  }
  if (regular < nApps) objs.push(oddStringsApp(ns, projects[0] || 'default', gitBase));
  // --- Applications in other namespaces
  for (const [otherNs, count] of Object.entries(e.otherNamespaces || {})) {
    for (let i = 0; i < count; i++) {
      const proj = projects[i % Math.max(projects.length, 1)] || 'default';
      objs.push(application({ i, total: count, ns: otherNs, projects: [proj], gitBase, name: `${otherNs}-app-${i + 1}` }));
    }
  }
  // --- ApplicationSets
  for (let i = 0; i < (e.applicationSets || 0); i++) objs.push(applicationSet(i, ns, projects, gitBase));
  // --- Secrets Argo CD reads
  for (let i = 0; i < (e.repositories || 0); i++) objs.push(repoSecret(i, ns, projects, gitBase));
  for (let i = 0; i < (e.repoCreds || 0); i++) objs.push(repoCredsSecret(i, ns, gitBase));
  for (let i = 0; i < (e.clusters || 0); i++) objs.push(clusterSecret(i, ns));
  return objs;
}

function application({ i, total, ns, projects, gitBase, inflight = false, name }) {
  name = name || appName(i, total);
  const [svc] = SERVICES[i % SERVICES.length];
  const env = ENVS[Math.floor(i / SERVICES.length) % ENVS.length];
  const project = projects.length ? projects[i % projects.length] : 'default';
  const rev = sha(`${ns}/${name}`);
  const kind = i % 5 === 4 ? 'helm' : i % 7 === 3 ? 'multi' : 'git';
  const spec = {
    project,
    destination: { server: 'https://kubernetes.default.svc', namespace: `${project}-${env}` },
  };
  if (kind === 'helm') {
    spec.source = {
      repoURL: 'https://charts.example.com/stable',
      chart: svc,
      targetRevision: `1.${i % 9}.${i % 4}`,
      helm: {
        releaseName: svc,
        valueFiles: [`values-${env}.yaml`],
        parameters: [{ name: 'replicaCount', value: String(1 + (i % 3)) }, { name: 'image.tag', value: `1.${10 + (i % 5)}` }],
      },
    };
  } else if (kind === 'multi') {
    spec.sources = [
      { repoURL: 'https://charts.example.com/stable', chart: svc, targetRevision: '2.4.1', helm: { valueFiles: [`$values/${svc}/values-${env}.yaml`] } },
      { repoURL: `${gitBase}/helm-values.git`, targetRevision: 'main', ref: 'values' },
    ];
  } else {
    spec.source = { repoURL: `${gitBase}/${svc}.git`, path: `deploy/overlays/${env}`, targetRevision: env === 'prod' ? 'release' : 'main' };
  }
  if (i % 3 !== 2) {
    spec.syncPolicy = {
      automated: { prune: i % 2 === 0, selfHeal: true },
      syncOptions: ['CreateNamespace=true', ...(i % 4 === 0 ? ['ServerSideApply=true'] : [])],
      retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
    };
  }
  if (i % 6 === 5) spec.revisionHistoryLimit = 5;
  const obj = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: {
      name, namespace: ns,
      labels: { 'acme.example/team': project, 'acme.example/env': env },
      ...(i % 4 === 0 ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}),
      ...(i % 10 === 1 ? { annotations: { 'notifications.argoproj.io/subscribe.on-sync-failed.slack': `${project}-alerts` } } : {}),
    },
    spec,
  };
  if (i % 8 !== 7) {
    const sync = SYNC[i % SYNC.length];
    const health = HEALTH[i % HEALTH.length];
    obj.status = {
      sync: { status: sync, revision: rev, comparedTo: { source: spec.source || spec.sources[0], destination: spec.destination } },
      health: { status: health, lastTransitionTime: NOW },
      reconciledAt: NOW,
      sourceType: kind === 'git' ? 'Kustomize' : 'Helm',
      summary: { images: [`registry.example.com/acme/${svc}:1.${i % 20}.0`] },
      resources: [
        { group: 'apps', version: 'v1', kind: 'Deployment', namespace: spec.destination.namespace, name: svc, status: sync, health: { status: health } },
        { version: 'v1', kind: 'Service', namespace: spec.destination.namespace, name: svc, status: sync, health: { status: 'Healthy' } },
      ],
      history: [{ id: 1, revision: rev, deployedAt: NOW, deployStartedAt: NOW, initiatedBy: { automated: true } }],
      operationState: {
        phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: NOW, finishedAt: NOW,
        operation: { sync: { revision: rev }, initiatedBy: { automated: true }, retry: { limit: 5 } },
        syncResult: { revision: rev, source: spec.source || spec.sources[0] },
      },
    };
  }
  if (inflight) {
    const op = { sync: { revision: rev, prune: true, syncStrategy: { hook: {} } }, initiatedBy: { username: 'admin' }, retry: { limit: 5 } };
    obj.operation = op;
    obj.status = {
      ...(obj.status || {}),
      sync: { status: 'OutOfSync', revision: rev },
      health: { status: 'Progressing', lastTransitionTime: NOW },
      operationState: {
        phase: 'Running', message: `waiting for healthy state of apps/Deployment/${svc}`, startedAt: NOW, operation: op,
      },
    };
  }
  return obj;
}

/** One Application full of strings that YAML writers like to get wrong. */
function oddStringsApp(ns, project, gitBase) {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: {
      name: 'odd-strings', namespace: ns,
      labels: { 'acme.example/version': '1.10', 'acme.example/octal': '0755', 'acme.example/flag': 'true' },
      annotations: {
        'acme.example/description': 'He said "ship it": then left; it\'s done',
        'acme.example/multiline': 'line one\nline two: with colon\n  indented line\n# not a comment\n',
        'acme.example/unicode': 'café — 東京 ✓ 🚀',
        'acme.example/numeric': '12345',
        'acme.example/float': '1e3',
        'acme.example/octal': '0755',
        'acme.example/bool': 'yes',
        'acme.example/null': 'null',
        'acme.example/tilde': '~',
        'acme.example/empty': '',
        'acme.example/leading-space': '  padded',
        'acme.example/trailing-space': 'padded  ',
        'acme.example/colon-space': 'key: value',
        'acme.example/hash': '#hashtag',
        'acme.example/star': '*',
        'acme.example/brackets': '[not, a, list]',
        'acme.example/braces': '{not: a map}',
        'acme.example/backslash': 'C:\\path\\to\\file',
        'acme.example/tab': 'a\tb',
        'acme.example/date': '2026-01-15',
        'acme.example/version': 'v1.2.3',
      },
    },
    spec: {
      project,
      source: {
        repoURL: `${gitBase}/odd-strings.git`,
        path: 'charts/odd',
        targetRevision: '0.10',
        helm: {
          parameters: [
            { name: 'image.tag', value: '1.10' },
            { name: 'replicas', value: '010' },
            { name: 'enabled', value: 'on' },
            { name: 'message', value: 'key: "value", other: \'x\'' },
          ],
          values: 'service:\n  port: 8080\n  annotations:\n    note: "quoted: yes"\nlist:\n- a\n- "b: c"\n',
        },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'odd-strings' },
      info: [{ name: 'Runbook: ünïcödé', value: 'https://wiki.example.com/runbooks/odd?x=1&y=2#top' }],
    },
    status: {
      sync: { status: 'Synced', revision: sha('odd') },
      health: { status: 'Healthy' },
      reconciledAt: NOW,
    },
  };
}

function applicationSet(i, ns, projects, gitBase) {
  const project = projects[i % Math.max(projects.length, 1)] || 'default';
  const generators = i % 2 === 0
    ? [{ list: { elements: ENVS.map((env) => ({ env, cluster: 'https://kubernetes.default.svc' })) } }]
    : [{ git: { repoURL: `${gitBase}/tenants.git`, revision: 'main', directories: [{ path: 'tenants/*' }, { path: 'tenants/legacy', exclude: true }] } }];
  const name = i % 2 === 0 ? `guestbook-envs${i ? `-${i}` : ''}` : `tenants${i > 1 ? `-${i}` : ''}`;
  const tmplName = i % 2 === 0 ? 'guestbook-{{.env}}' : 'tenant-{{.path.basename}}';
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet',
    metadata: { name, namespace: ns, labels: { 'acme.example/team': project } },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators,
      template: {
        metadata: { name: tmplName, labels: { 'acme.example/generated-by': name } },
        spec: {
          project,
          source: { repoURL: `${gitBase}/${i % 2 === 0 ? 'guestbook' : 'tenants'}.git`, targetRevision: 'main', path: i % 2 === 0 ? 'envs/{{.env}}' : '{{.path.path}}' },
          destination: { server: i % 2 === 0 ? '{{.cluster}}' : 'https://kubernetes.default.svc', namespace: tmplName },
          syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
        },
      },
      syncPolicy: { preserveResourcesOnDeletion: true },
    },
    status: {
      conditions: [
        { type: 'ErrorOccurred', status: 'False', reason: 'ApplicationSetUpToDate', message: 'Successfully generated parameters for all Applications', lastTransitionTime: NOW },
        { type: 'ParametersGenerated', status: 'True', reason: 'ParametersGenerated', message: 'Successfully generated parameters for all Applications', lastTransitionTime: NOW },
        { type: 'ResourcesUpToDate', status: 'True', reason: 'ApplicationSetUpToDate', message: 'ApplicationSet up to date', lastTransitionTime: NOW },
      ],
    },
  };
}

const REPOS = ['payments-api', 'checkout-web', 'catalog-svc', 'platform-config', 'helm-values', 'tenants'];

function repoSecret(i, ns, projects, gitBase) {
  const repo = i < REPOS.length ? REPOS[i] : `repo-${pad(i + 1, 4)}`;
  const data = { type: 'git', url: `${gitBase}/${repo}.git`, name: repo };
  if (i % 3 === 1) {
    data.url = `git@git.example.com:acme/${repo}.git`;
    data.sshPrivateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nRkFLRS1LRVktRk9SLVRFU1RTLU9OTFk=\n-----END OPENSSH PRIVATE KEY-----\n';
  } else {
    data.username = 'git-bot';
    data.password = `fake-password-${i + 1}`;
  }
  if (projects.length && i % 4 === 2) data.project = projects[i % projects.length];
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: {
      name: `repo-${repo}`, namespace: ns,
      labels: { 'argocd.argoproj.io/secret-type': 'repository' },
      annotations: { 'managed-by': 'argocd.argoproj.io' },
    },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
}

function repoCredsSecret(i, ns, gitBase) {
  const data = i % 2 === 0
    ? { type: 'git', url: gitBase, username: 'git-bot', password: `fake-creds-password-${i + 1}` }
    : { type: 'helm', url: 'https://charts.example.com', username: 'chart-reader', password: `fake-helm-password-${i + 1}`, enableOCI: 'false' };
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: {
      name: `creds-${i % 2 === 0 ? 'git' : 'helm'}-${i + 1}`, namespace: ns,
      labels: { 'argocd.argoproj.io/secret-type': 'repo-creds' },
      annotations: { 'managed-by': 'argocd.argoproj.io' },
    },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
}

function clusterSecret(i, ns) {
  const names = ['prod-eu', 'prod-us', 'staging'];
  const name = i < names.length ? names[i] : `cluster-${pad(i + 1, 4)}`;
  const config = JSON.stringify({
    bearerToken: `fake-bearer-token-${i + 1}`,
    tlsClientConfig: { insecure: false, caData: b64('FAKE CA DATA') },
  });
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: {
      name: `cluster-${name}`, namespace: ns,
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'acme.example/region': i % 2 ? 'us' : 'eu' },
      annotations: { 'managed-by': 'argocd.argoproj.io' },
    },
    data: {
      name: b64(name),
      server: b64(`https://${name}.k8s.example.internal:6443`),
      config: b64(config),
      ...(i % 3 === 2 ? { namespaces: b64('team-a,team-b'), clusterResources: b64('false') } : {}),
    },
  };
}

/** Counts a plan's objects by kind and namespace (used by README/tests). */
export function summarize(plan) {
  const out = {};
  for (const st of plan.steps) {
    for (const o of st.objects || []) {
      const ns = o.metadata.namespace || st.namespace || '';
      const key = `${o.kind}${ns ? ` ${ns}` : ''}`;
      out[key] = (out[key] || 0) + 1;
    }
  }
  return out;
}
