// An in-memory stand-in for the API server's list and get endpoints, with limit/continue paging and injectable
// failures; enough for the export logic. Real clusters are exercised by test/integration/backup.
import { KubeError } from '../../../src/core/kube/errors';
import type { RequestOptions } from '../../../src/core/kube/client';
import type { KubeObject } from '../../../src/core/objects/kubeObject';
import type { BackupApi } from '../../../src/core/backup/exportBackup';

interface Collection {
  apiVersion: string;
  kind: string;
  /** Core lists omit kind/apiVersion on items, as the API server does. */
  core: boolean;
}

const COLLECTIONS: Record<string, Collection> = {
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap', core: true },
  secrets: { apiVersion: 'v1', kind: 'Secret', core: true },
  appprojects: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', core: false },
  applications: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', core: false },
  applicationsets: { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', core: false },
  statefulsets: { apiVersion: 'apps/v1', kind: 'StatefulSet', core: false },
  pods: { apiVersion: 'v1', kind: 'Pod', core: true },
};

export class FakeApi implements BackupApi {
  readonly objects: KubeObject[] = [];
  readonly calls: string[] = [];
  /** The signal each request was made with, in request order. */
  readonly signals: Array<{ path: string; signal?: AbortSignal }> = [];
  /** Path prefixes (without query) answered with this error. */
  readonly failures = new Map<string, KubeError>();
  /** Called before answering, e.g. to abort mid-way. */
  onRequest?: (path: string) => void;

  add(plural: string, namespace: string, name: string, body: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): this {
    const c = COLLECTIONS[plural]!;
    this.objects.push({
      apiVersion: c.apiVersion,
      kind: c.kind,
      metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: '42', creationTimestamp: '2024-01-01T00:00:00Z', managedFields: [{ manager: 'x' }], ...meta },
      ...body,
    });
    return this;
  }

  private matching(plural: string, namespace: string | undefined): KubeObject[] {
    const kind = COLLECTIONS[plural]!.kind;
    return this.objects
      .filter((o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace))
      .sort((a, b) => `${a.metadata!.namespace}/${a.metadata!.name}`.localeCompare(`${b.metadata!.namespace}/${b.metadata!.name}`));
  }

  async requestText(path: string, opts: RequestOptions = {}): Promise<string> {
    this.calls.push(path + (opts.query?.continue ? `?continue=${opts.query.continue}` : ''));
    this.signals.push({ path, ...(opts.signal ? { signal: opts.signal } : {}) });
    this.onRequest?.(path);
    await new Promise((r) => setImmediate(r));
    if (opts.signal?.aborted) throw new KubeError('cancelled', `cancelled: GET ${path}`);
    for (const [prefix, err] of this.failures) if (path.startsWith(prefix)) throw err;
    const m = /^\/apis?\/(?:[^/]+\/)?v1(?:alpha1)?(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?$/.exec(path);
    if (!m || !COLLECTIONS[m[2]!]) throw new KubeError('notFound', `notFound (404) on GET ${path}`, 404);
    const [, ns, plural, name] = m;
    const c = COLLECTIONS[plural!]!;
    if (name !== undefined) {
      const obj = this.matching(plural!, ns).find((o) => o.metadata?.name === decodeURIComponent(name));
      if (!obj) throw new KubeError('notFound', `notFound (404) on GET ${path}`, 404);
      return JSON.stringify(obj);
    }
    let items = this.matching(plural!, ns);
    if (opts.query?.labelSelector) {
      const wanted = String(opts.query.labelSelector).split(',').map((kv) => kv.split('='));
      items = items.filter((o) => wanted.every(([k, v]) => o.metadata?.labels?.[k!] === v));
    }
    const limit = Number(opts.query?.limit ?? 0) || items.length;
    const start = Number(opts.query?.continue ?? 0);
    const page = items.slice(start, start + limit);
    const next = start + limit < items.length ? String(start + limit) : undefined;
    const out = page.map((o) => (c.core ? (({ kind: _k, apiVersion: _a, ...rest }) => rest)(o) : o));
    return JSON.stringify({ apiVersion: c.apiVersion, kind: `${c.kind}List`, metadata: { resourceVersion: '99', ...(next ? { continue: next } : {}) }, items: out });
  }
}

/** An Argo CD namespace with the four ConfigMaps, argocd-cmd-params-cm and agent objects. */
export function argoNamespace(api: FakeApi, ns = 'argocd', cmdParams: Record<string, string> | null = { 'application.namespaces': 'team-*' }): FakeApi {
  api.add('configmaps', ns, 'argocd-cm', { data: { 'admin.enabled': 'true', url: 'https://argocd.example.com' } }, { labels: { 'app.kubernetes.io/name': 'argocd-cm' } });
  api.add('configmaps', ns, 'argocd-rbac-cm', { data: { 'policy.csv': '', 'policy.default': '' } });
  api.add('configmaps', ns, 'argocd-ssh-known-hosts-cm', { data: { ssh_known_hosts: 'github.com ssh-ed25519 AAAA\n' } });
  api.add('configmaps', ns, 'argocd-tls-certs-cm', {});
  api.add('configmaps', ns, 'argocd-gpg-keys-cm', {});
  if (cmdParams) api.add('configmaps', ns, 'argocd-cmd-params-cm', { data: cmdParams });
  api.add('configmaps', ns, 'gitops-agent', { data: { GITOPS_AGENT_IDENTIFIER: 'a' } });
  api.add('secrets', ns, 'argocd-secret', { type: 'Opaque', data: { 'server.secretkey': 'c2VjcmV0' } });
  api.add('secrets', ns, 'gitops-agent', { type: 'Opaque', data: { GITOPS_AGENT_TOKEN: 'dG9rZW4=' } });
  api.add('secrets', ns, 'argocd-redis', { type: 'Opaque', data: { auth: 'eA==' } });
  api.add('secrets', ns, 'repo-1', { type: 'Opaque', data: { url: 'aHR0cHM6Ly9naXQ=' } }, { labels: { 'argocd.argoproj.io/secret-type': 'repository' } });
  api.add('secrets', ns, 'cluster-1', { type: 'Opaque', data: { server: 'aHR0cHM6Ly9rOHM=' } }, { labels: { 'argocd.argoproj.io/secret-type': 'cluster' } });
  api.add('secrets', ns, 'managed', { type: 'Opaque', data: {} }, { annotations: { 'managed-by': 'argocd.argoproj.io' } });
  api.add('appprojects', ns, 'default', { spec: { sourceRepos: ['*'] }, status: {} });
  return api;
}
