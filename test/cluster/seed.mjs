// Turns a scenario (data, scenarios/<name>.json) into apply plans, one per
// cluster, for `testcluster apply`. Everything here is deterministic: the same
// scenario always yields the same objects (names, counts, statuses), so tests
// can assert exact facts (README.md lists them). The parts: seed/argoConfig.mjs,
// seed/agent.mjs, seed/entities.mjs.
//
// No credentials are real: every token, password and key is a fixed fake.

import fs from 'node:fs';
import path from 'node:path';
import { AGENT_DEFAULTS, agentFootprint } from './seed/agent.mjs';
import { argoConfig } from './seed/argoConfig.mjs';
import { entities } from './seed/entities.mjs';

export { AGENT_DEFAULTS } from './seed/agent.mjs';

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
