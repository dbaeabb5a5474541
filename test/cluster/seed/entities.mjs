// Argo CD entities of an install: AppProjects, Applications, ApplicationSets and the Secrets Argo CD reads.
import { NOW, b64, pad, sha } from './util.mjs';

const SERVICES = [
  ['payments-api', 'payments'], ['checkout-web', 'storefront'], ['catalog-svc', 'storefront'],
  ['ledger-worker', 'payments'], ['ingress-nginx', 'platform'], ['cert-manager', 'platform'],
  ['search-indexer', 'storefront'], ['fraud-scorer', 'payments'], ['metrics-stack', 'platform'],
  ['notifications', 'storefront'],
];
const ENVS = ['dev', 'qa', 'staging', 'prod'];
const SYNC = ['Synced', 'Synced', 'OutOfSync', 'Synced', 'Unknown'];
const HEALTH = ['Healthy', 'Healthy', 'Progressing', 'Healthy', 'Degraded', 'Healthy', 'Missing', 'Suspended'];

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

export function entities(inst, agent) {
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
  // --- Secrets that `argocd admin export` selects by one mark only, and one it must leave out
  for (let i = 0; i < (e.labelOnlySecrets || 0); i++) objs.push(markedSecret(`label-only-${i + 1}`, ns, { label: true }));
  for (let i = 0; i < (e.annotationOnlySecrets || 0); i++) objs.push(markedSecret(`annotation-only-${i + 1}`, ns, { annotation: true }));
  for (let i = 0; i < (e.unrelatedSecrets || 0); i++) objs.push(markedSecret(`unrelated-${i + 1}`, ns, {}));
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


/**
 * A Secret with only the secret-type label, only the managed-by annotation, or neither (then Argo CD does not
 * export it, and neither may a backup).
 */
function markedSecret(name, ns, { label = false, annotation = false }) {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: {
      name, namespace: ns,
      ...(label ? { labels: { 'argocd.argoproj.io/secret-type': 'repository' } } : { labels: { 'acme.example/kind': 'unrelated' } }),
      ...(annotation ? { annotations: { 'managed-by': 'argocd.argoproj.io' } } : {}),
    },
    data: label
      ? { type: b64('git'), url: b64(`https://git.example.com/acme/${name}.git`), password: b64(`fake-${name}`) }
      : { token: b64(`fake-${name}-token`) },
  };
}
