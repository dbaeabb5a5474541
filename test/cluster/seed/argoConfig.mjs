// Settings layered over the upstream Argo CD install (server-side applied).
import { b64 } from './util.mjs';

export function argoConfig(inst, argocd) {
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
