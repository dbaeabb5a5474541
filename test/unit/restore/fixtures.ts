// Backup and live objects shaped like a real Argo CD namespace, for restore tests.
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import { readBackup, type ParsedBackup } from '../../../src/core/yaml/readBackup';

export const NS = 'argocd';

export function cm(name: string, data: Record<string, string> = {}, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { 'app.kubernetes.io/part-of': 'argocd' } }, data, ...extra };
}

export function secret(name: string, data: Record<string, string>, type = 'repository', extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, labels: { 'argocd.argoproj.io/secret-type': type } },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    type: 'Opaque',
    ...extra,
  };
}

export function project(name: string, spec: Record<string, unknown> = { sourceRepos: ['*'], destinations: [{ namespace: '*', server: '*' }] }): KubeObject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name }, spec, status: {} };
}

export function app(name: string, opts: { namespace?: string; revision?: string; status?: Record<string, unknown>; operation?: Record<string, unknown>; finalizers?: string[]; project?: string } = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, ...(opts.namespace ? { namespace: opts.namespace } : {}), ...(opts.finalizers ? { finalizers: opts.finalizers } : {}) },
    spec: {
      project: opts.project ?? 'default',
      source: { repoURL: 'https://github.com/example/apps', path: name, targetRevision: opts.revision ?? 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      syncPolicy: { automated: {} },
    },
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.operation ? { operation: opts.operation } : {}),
  };
}

export function appSet(name: string, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: { generators: [{ list: { elements: [{ cluster: 'a' }] } }], template: { metadata: { name: '{{cluster}}-guestbook' }, spec: { project: 'default' } } },
    ...(status ? { status } : {}),
  };
}

/** A backup as `argocd admin export` writes it (no namespace on objects of the Argo CD namespace). */
export function demoBackup(): KubeObject[] {
  return [
    cm('argocd-cm', { 'admin.enabled': 'true', url: 'https://argocd.example.com' }),
    cm('argocd-rbac-cm', { 'policy.csv': 'p, role:ops, applications, *, */*, allow', 'policy.default': '' }),
    cm('argocd-ssh-known-hosts-cm', { ssh_known_hosts: 'github.com ssh-ed25519 AAAA' }),
    cm('argocd-tls-certs-cm'),
    secret('argocd-secret', { 'server.secretkey': 's3cr3t-server-key' }, 'x', { metadata: { name: 'argocd-secret', labels: { 'app.kubernetes.io/name': 'argocd-secret' } } }),
    secret('repo-one', { url: 'https://github.com/example/apps', password: 'hunter2-repo-password' }),
    secret('cluster-east', { name: 'east', server: 'https://east.example.com', config: '{"bearerToken":"tok-abc"}' }, 'cluster'),
    project('team-a'),
    app('guestbook', { status: { sync: { status: 'Synced' }, health: { status: 'Healthy' }, reconciledAt: '2026-01-01T00:00:00Z' } }),
    app('billing', { namespace: 'team-a', project: 'team-a' }),
    appSet('guestbooks', { conditions: [{ type: 'ResourcesUpToDate', status: 'True' }] }),
  ];
}

/** The objects as a YAML stream (each document one JSON line, null/undefined: an empty document); document i is on line 2i+1. */
export function yamlOf(objects: unknown[]): string {
  return objects.map((o) => `---\n${o === undefined || o === null ? '' : JSON.stringify(o)}\n`).join('');
}

/** A ParsedBackup as the reader returns it for yamlOf(objects). */
export function parsedOf(objects: unknown[]): ParsedBackup {
  return readBackup(yamlOf(objects));
}

/** argocd-cmd-params-cm enabling app namespaces `team-*`. */
export function cmdParams(): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cmd-params-cm', namespace: NS }, data: { 'application.namespaces': 'team-*', 'applicationsetcontroller.namespaces': 'team-*' } };
}

export function withNamespace(obj: KubeObject, namespace: string): KubeObject {
  return { ...structuredClone(obj), metadata: { ...obj.metadata, namespace: obj.metadata?.namespace ?? namespace } };
}
