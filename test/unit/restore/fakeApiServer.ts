// A small in-memory Kubernetes API over real HTTP, enough for the restore core: list (namespaced, cluster-wide,
// limit/continue), get, create, replace (resourceVersion conflicts), merge patch (incl. /status), delete (uid
// precondition), server-side dry run. Tests inject faults per request and count writes.
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeClient } from '../../../src/core/kube/client';
import type { KubeObject } from '../../../src/core/objects/kubeObject';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: KubeObject | undefined;
}

export type Fault = (req: FakeRequest) => { status: number; reason?: string; message?: string } | 'drop' | undefined;

const PLURAL_KIND: Record<string, { kind: string; apiVersion: string }> = {
  configmaps: { kind: 'ConfigMap', apiVersion: 'v1' },
  secrets: { kind: 'Secret', apiVersion: 'v1' },
  appprojects: { kind: 'AppProject', apiVersion: 'argoproj.io/v1alpha1' },
  applications: { kind: 'Application', apiVersion: 'argoproj.io/v1alpha1' },
  applicationsets: { kind: 'ApplicationSet', apiVersion: 'argoproj.io/v1alpha1' },
};

export class FakeApiServer {
  /** key: plural/namespace/name */
  readonly objects = new Map<string, KubeObject>();
  readonly requests: FakeRequest[] = [];
  faults: Fault[] = [];
  /** Plurals whose list/get answer 403 (per namespace, or '*' for all). */
  forbidden = new Set<string>();
  /** Namespaces that do not exist (every other one does). */
  absentNamespaces = new Set<string>();
  private rv = 100;
  private uid = 0;
  private server!: http.Server;
  port = 0;
  private dir = '';

  static async start(): Promise<FakeApiServer> {
    const s = new FakeApiServer();
    s.server = http.createServer((req, res) => s.handle(req, res));
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  /** A kubeconfig file with one context, `fake`, pointing at this server. */
  kubeconfigPath(): string {
    if (!this.dir) this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-kube-'));
    const file = path.join(this.dir, 'config');
    fs.writeFileSync(
      file,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: http://127.0.0.1:${this.port}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: u\n    namespace: argocd\nusers:\n- name: u\n  user:\n    token: t\ncurrent-context: fake\n`,
    );
    return file;
  }

  async client(): Promise<KubeClient> {
    return KubeClient.forContext(await loadKubeconfig([this.kubeconfigPath()]), 'fake', { timeoutMs: 3000 });
  }

  /** Stops listening (connections are refused) but keeps the objects, as a stopped API server keeps etcd. */
  async pause(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  async resume(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(this.port, '127.0.0.1', r));
  }

  async stop(): Promise<void> {
    if (!this.server.listening) {
      if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
      return;
    }
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Puts an object as it would be live (uid, resourceVersion set). */
  put(obj: KubeObject): KubeObject {
    const plural = Object.entries(PLURAL_KIND).find(([, v]) => v.kind === obj.kind)![0];
    const stored: KubeObject = structuredClone(obj);
    stored.metadata = { ...stored.metadata, uid: `uid-${++this.uid}`, resourceVersion: String(++this.rv) };
    this.objects.set(`${plural}/${stored.metadata.namespace}/${stored.metadata.name}`, stored);
    return stored;
  }

  find(kind: string, namespace: string, name: string): KubeObject | undefined {
    const plural = Object.entries(PLURAL_KIND).find(([, v]) => v.kind === kind)![0];
    return this.objects.get(`${plural}/${namespace}/${name}`);
  }

  writes(): FakeRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.path.includes('selfsubjectaccessreviews'));
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private status(res: http.ServerResponse, code: number, reason: string, message: string): void {
    this.send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      const fr: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : undefined };
      this.requests.push(fr);
      for (const f of this.faults) {
        const r = f(fr);
        if (r === 'drop') {
          req.socket.destroy();
          return;
        }
        if (r) return this.status(res, r.status, r.reason ?? 'Fault', r.message ?? 'injected');
      }
      this.route(fr, res);
    });
  }

  private route(req: FakeRequest, res: http.ServerResponse): void {
    const nsMatch = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(req.path);
    if (nsMatch && req.method === 'GET') {
      const name = decodeURIComponent(nsMatch[1]!);
      return this.absentNamespaces.has(name)
        ? this.status(res, 404, 'NotFound', `namespaces "${name}" not found`)
        : this.send(res, 200, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    const m = /^\/(?:api\/v1|apis\/argoproj\.io\/v1alpha1)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(req.path);
    if (!m || !PLURAL_KIND[m[2]!]) return this.status(res, 404, 'NotFound', `no route ${req.path}`);
    const ns = m[1] ? decodeURIComponent(m[1]) : undefined;
    const plural = m[2]!;
    const name = m[3] ? decodeURIComponent(m[3]) : undefined;
    const sub = m[4];
    const { kind, apiVersion } = PLURAL_KIND[plural]!;
    const dryRun = req.query.get('dryRun') === 'All' || (Array.isArray((req.body as { dryRun?: string[] } | undefined)?.dryRun) && req.method === 'DELETE');
    const key = `${plural}/${ns}/${name}`;
    if ((req.method === 'GET') && (this.forbidden.has(`${plural}/*`) || this.forbidden.has(`${plural}/${ns ?? '*'}`))) {
      return this.status(res, 403, 'Forbidden', `${plural} is forbidden: User "limited" cannot ${name ? 'get' : 'list'} resource "${plural}"`);
    }
    switch (req.method) {
      case 'GET': {
        if (!name) {
          const all = [...this.objects.entries()]
            .filter(([k]) => k.startsWith(`${plural}/`) && (ns === undefined || k.startsWith(`${plural}/${ns}/`)))
            .map(([, v]) => v)
            .sort((a, b) => `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`));
          const limit = Number(req.query.get('limit') ?? '0') || all.length;
          const start = Number(req.query.get('continue') ?? '0');
          const items = all.slice(start, start + limit).map((o) => { const c = structuredClone(o); delete c.kind; delete c.apiVersion; return c; });
          const next = start + limit < all.length ? String(start + limit) : undefined;
          return this.send(res, 200, { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: String(this.rv), ...(next ? { continue: next } : {}) }, items });
        }
        const o = this.objects.get(key);
        return o ? this.send(res, 200, o) : this.status(res, 404, 'NotFound', `${plural} "${name}" not found`);
      }
      case 'POST': {
        const body = req.body!;
        const n = body.metadata?.name ?? '';
        const k = `${plural}/${ns}/${n}`;
        if (this.objects.has(k)) return this.status(res, 409, 'AlreadyExists', `${plural} "${n}" already exists`);
        if (body.metadata?.resourceVersion) return this.status(res, 400, 'BadRequest', 'resourceVersion should not be set on objects to be created');
        const stored: KubeObject = { ...structuredClone(body), apiVersion, kind, metadata: { ...body.metadata, namespace: ns, uid: `uid-${++this.uid}`, resourceVersion: String(++this.rv) } };
        if (kind === 'ApplicationSet') delete stored.status; // status subresource: ignored on the main resource
        if (!dryRun) this.objects.set(k, stored);
        return this.send(res, 201, stored);
      }
      case 'PUT': {
        const cur = this.objects.get(key);
        if (!cur) return this.status(res, 404, 'NotFound', `${plural} "${name}" not found`);
        const body = req.body!;
        if (body.metadata?.resourceVersion && body.metadata.resourceVersion !== cur.metadata?.resourceVersion) {
          return this.status(res, 409, 'Conflict', `Operation cannot be fulfilled on ${plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
        }
        const stored: KubeObject = { ...structuredClone(body), apiVersion, kind, metadata: { ...body.metadata, uid: cur.metadata?.uid, resourceVersion: String(++this.rv) } };
        if (kind === 'ApplicationSet') stored.status = cur.status;
        if (!dryRun) this.objects.set(key, stored);
        return this.send(res, 200, stored);
      }
      case 'PATCH': {
        const cur = this.objects.get(key);
        if (!cur) return this.status(res, 404, 'NotFound', `${plural} "${name}" not found`);
        const next = mergePatch(structuredClone(cur), req.body) as KubeObject;
        if (sub === 'status') {
          const only = structuredClone(cur);
          only.status = next.status;
          only.metadata = { ...only.metadata, resourceVersion: String(++this.rv) };
          if (!dryRun) this.objects.set(key, only);
          return this.send(res, 200, only);
        }
        next.metadata = { ...next.metadata, resourceVersion: String(++this.rv) };
        if (!dryRun) this.objects.set(key, next);
        return this.send(res, 200, next);
      }
      case 'DELETE': {
        const cur = this.objects.get(key);
        if (!cur) return this.status(res, 404, 'NotFound', `${plural} "${name}" not found`);
        const pre = (req.body as { preconditions?: { uid?: string } } | undefined)?.preconditions;
        if (pre?.uid && pre.uid !== cur.metadata?.uid) return this.status(res, 409, 'Conflict', 'Precondition failed: UID in precondition');
        if (!dryRun) {
          if (cur.metadata?.finalizers?.length) cur.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
          else this.objects.delete(key);
        }
        return this.send(res, 200, { kind: 'Status', status: 'Success' });
      }
    }
    return this.status(res, 405, 'MethodNotAllowed', req.method);
  }
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
