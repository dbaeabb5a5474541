// The unit tests' one stand-in for the Kubernetes API: an in-memory store behind one route table, reached either
// over real HTTP by a real KubeClient (`FakeKubeApi.start()`, for restore and compare) or in-process as a BackupApi
// (`new FakeKubeApi()`, `requestText`, for the export logic, which also records each request's AbortSignal).
// It serves list (namespaced, cluster-wide, limit/continue, labelSelector), get, create, replace (resourceVersion
// conflicts), merge patch (incl. /status), delete (uid precondition) and server-side dry run. Tests inject faults
// per request and count writes. Real clusters are exercised by test/integration.
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadKubeconfig } from '../../src/core/kube/kubeconfig';
import { KubeClient, type RequestOptions } from '../../src/core/kube/client';
import { KubeError, fromHttpStatus } from '../../src/core/kube/errors';
import type { KubeObject } from '../../src/core/objects/kubeObject';
import type { BackupApi } from '../../src/core/backup/exportBackup';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: KubeObject | undefined;
  /** In-process requests only: the signal the caller passed. */
  signal?: AbortSignal;
}

/** An answer instead of the store's ('drop': the connection is cut); undefined or nothing: the store answers. */
export type Fault = (req: FakeRequest) => { status: number; reason?: string; message?: string } | 'drop' | undefined | void;

interface Answer {
  status: number;
  body: unknown;
}

const KINDS: Record<string, { kind: string; apiVersion: string }> = {
  configmaps: { kind: 'ConfigMap', apiVersion: 'v1' },
  secrets: { kind: 'Secret', apiVersion: 'v1' },
  pods: { kind: 'Pod', apiVersion: 'v1' },
  statefulsets: { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  appprojects: { kind: 'AppProject', apiVersion: 'argoproj.io/v1alpha1' },
  applications: { kind: 'Application', apiVersion: 'argoproj.io/v1alpha1' },
  applicationsets: { kind: 'ApplicationSet', apiVersion: 'argoproj.io/v1alpha1' },
};

const ROUTE = /^\/(?:api\/v1|apis\/apps\/v1|apis\/argoproj\.io\/v1alpha1)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?(?:\/(status))?$/;

function pluralOf(kind: string | undefined): string {
  const found = Object.entries(KINDS).find(([, v]) => v.kind === kind);
  if (!found) throw new Error(`the fake API serves no kind ${kind}`);
  return found[0];
}

function failure(code: number, reason: string, message: string): Answer {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code } };
}

export class FakeKubeApi implements BackupApi {
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
  private server?: http.Server;
  port = 0;
  private dir = '';

  /** The same API over HTTP on a loopback port. */
  static async start(): Promise<FakeKubeApi> {
    const s = new FakeKubeApi();
    const server = http.createServer((req, res) => s.handle(req, res));
    s.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    s.port = (server.address() as AddressInfo).port;
    return s;
  }

  // ------------------------------------------------------------------------------------------------ the store

  /** Puts an object as it would be live (uid, resourceVersion set by the server). */
  put(obj: KubeObject): KubeObject {
    const stored: KubeObject = structuredClone(obj);
    stored.metadata = { ...stored.metadata, uid: `uid-${++this.uid}`, resourceVersion: String(++this.rv) };
    this.objects.set(`${pluralOf(obj.kind)}/${stored.metadata.namespace}/${stored.metadata.name}`, stored);
    return stored;
  }

  /** Adds an object as an export reads it back: server fields the backup must drop included. */
  add(plural: string, namespace: string, name: string, body: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): this {
    const { kind, apiVersion } = KINDS[plural]!;
    this.objects.set(`${plural}/${namespace}/${name}`, {
      apiVersion,
      kind,
      metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: '42', creationTimestamp: '2024-01-01T00:00:00Z', managedFields: [{ manager: 'x' }], ...meta },
      ...body,
    });
    return this;
  }

  find(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(`${pluralOf(kind)}/${namespace}/${name}`);
  }

  writes(): FakeRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.path.includes('selfsubjectaccessreviews'));
  }

  /** Paths requested, with the continue token of paged lists (`…/applications?continue=10`). */
  get calls(): string[] {
    return this.requests.map((r) => r.path + (r.query.get('continue') ? `?continue=${r.query.get('continue')}` : ''));
  }

  /** Answers requests under `prefix` with an API error status. */
  failOn(prefix: string, status: number, reason = 'Fault', message = 'injected'): void {
    this.faults.push((r) => (r.path.startsWith(prefix) ? { status, reason, message } : undefined));
  }

  // ------------------------------------------------------------------------------------------ in-process use

  async requestText(p: string, opts: RequestOptions = {}): Promise<string> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) query.set(k, String(v));
    const method = opts.method ?? 'GET';
    const req: FakeRequest = { method, path: p, query, body: opts.body as KubeObject | undefined, ...(opts.signal ? { signal: opts.signal } : {}) };
    const answer = this.answer(req);
    await new Promise((r) => setImmediate(r));
    if (opts.signal?.aborted) throw new KubeError('cancelled', `cancelled: ${method} ${p}`);
    if (answer === 'drop') throw new KubeError('network', `network error: socket hang up (fake)`);
    const text = JSON.stringify(answer.body);
    if (answer.status >= 400) throw fromHttpStatus(answer.status, text, method, p);
    return text;
  }

  // ---------------------------------------------------------------------------------------------- HTTP use

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
    const server = this.server!;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  async resume(): Promise<void> {
    const server = this.server!;
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server?.listening) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      const answer = this.answer({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : undefined });
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      const body = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  }

  // ------------------------------------------------------------------------------------------------- routes

  private answer(req: FakeRequest): Answer | 'drop' {
    this.requests.push(req);
    for (const f of this.faults) {
      const r = f(req);
      if (r === 'drop') return 'drop';
      if (r) return failure(r.status, r.reason ?? 'Fault', r.message ?? 'injected');
    }
    return this.route(req);
  }

  private route(req: FakeRequest): Answer {
    const nsMatch = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(req.path);
    if (nsMatch && req.method === 'GET') {
      const name = decodeURIComponent(nsMatch[1]!);
      return this.absentNamespaces.has(name) ? failure(404, 'NotFound', `namespaces "${name}" not found`) : { status: 200, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } };
    }
    const m = ROUTE.exec(req.path);
    if (!m || !KINDS[m[2]!]) return failure(404, 'NotFound', `no route ${req.path}`);
    const ns = m[1] ? decodeURIComponent(m[1]) : undefined;
    const plural = m[2]!;
    const name = m[3] ? decodeURIComponent(m[3]) : undefined;
    const sub = m[4];
    const { kind, apiVersion } = KINDS[plural]!;
    const dryRun = req.query.get('dryRun') === 'All' || (Array.isArray((req.body as { dryRun?: string[] } | undefined)?.dryRun) && req.method === 'DELETE');
    const key = `${plural}/${ns}/${name}`;
    if (req.method === 'GET' && (this.forbidden.has(`${plural}/*`) || this.forbidden.has(`${plural}/${ns ?? '*'}`))) {
      return failure(403, 'Forbidden', `${plural} is forbidden: User "limited" cannot ${name ? 'get' : 'list'} resource "${plural}"`);
    }
    switch (req.method) {
      case 'GET': {
        if (!name) return this.list(req, plural, ns);
        const o = this.objects.get(key);
        return o ? { status: 200, body: o } : failure(404, 'NotFound', `${plural} "${name}" not found`);
      }
      case 'POST': {
        const body = req.body!;
        const n = body.metadata?.name ?? '';
        const k = `${plural}/${ns}/${n}`;
        if (this.objects.has(k)) return failure(409, 'AlreadyExists', `${plural} "${n}" already exists`);
        if (body.metadata?.resourceVersion) return failure(400, 'BadRequest', 'resourceVersion should not be set on objects to be created');
        const stored: KubeObject = { ...structuredClone(body), apiVersion, kind, metadata: { ...body.metadata, namespace: ns, uid: `uid-${++this.uid}`, resourceVersion: String(++this.rv) } };
        if (kind === 'ApplicationSet') delete stored.status; // status subresource: ignored on the main resource
        if (!dryRun) this.objects.set(k, stored);
        return { status: 201, body: stored };
      }
      case 'PUT': {
        const cur = this.objects.get(key);
        if (!cur) return failure(404, 'NotFound', `${plural} "${name}" not found`);
        const body = req.body!;
        if (body.metadata?.resourceVersion && body.metadata.resourceVersion !== cur.metadata?.resourceVersion) {
          return failure(409, 'Conflict', `Operation cannot be fulfilled on ${plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
        }
        const stored: KubeObject = { ...structuredClone(body), apiVersion, kind, metadata: { ...body.metadata, uid: cur.metadata?.uid, resourceVersion: String(++this.rv) } };
        if (kind === 'ApplicationSet') stored.status = cur.status;
        if (!dryRun) this.objects.set(key, stored);
        return { status: 200, body: stored };
      }
      case 'PATCH': {
        const cur = this.objects.get(key);
        if (!cur) return failure(404, 'NotFound', `${plural} "${name}" not found`);
        const next = mergePatch(structuredClone(cur), req.body) as KubeObject;
        if (sub === 'status') {
          const only = structuredClone(cur);
          only.status = next.status;
          only.metadata = { ...only.metadata, resourceVersion: String(++this.rv) };
          if (!dryRun) this.objects.set(key, only);
          return { status: 200, body: only };
        }
        next.metadata = { ...next.metadata, resourceVersion: String(++this.rv) };
        if (!dryRun) this.objects.set(key, next);
        return { status: 200, body: next };
      }
      case 'DELETE': {
        const cur = this.objects.get(key);
        if (!cur) return failure(404, 'NotFound', `${plural} "${name}" not found`);
        const pre = (req.body as { preconditions?: { uid?: string } } | undefined)?.preconditions;
        if (pre?.uid && pre.uid !== cur.metadata?.uid) return failure(409, 'Conflict', 'Precondition failed: UID in precondition');
        if (!dryRun) {
          if (cur.metadata?.finalizers?.length) cur.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
          else this.objects.delete(key);
        }
        return { status: 200, body: { kind: 'Status', status: 'Success' } };
      }
    }
    return failure(405, 'MethodNotAllowed', req.method);
  }

  /** A list as the API server pages it; items of built-in (v1, apps/v1) kinds come without kind and apiVersion. */
  private list(req: FakeRequest, plural: string, ns: string | undefined): Answer {
    const { kind, apiVersion } = KINDS[plural]!;
    const wanted = (req.query.get('labelSelector') ?? '').split(',').filter((kv) => kv).map((kv) => kv.split('='));
    const all = [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`${plural}/`) && (ns === undefined || k.startsWith(`${plural}/${ns}/`)))
      .map(([, v]) => v)
      .filter((o) => wanted.every(([k, v]) => o.metadata?.labels?.[k!] === v))
      .sort((a, b) => `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`));
    const limit = Number(req.query.get('limit') ?? '0') || all.length;
    const start = Number(req.query.get('continue') ?? '0');
    const builtIn = !apiVersion.includes('argoproj.io');
    const items = all.slice(start, start + limit).map((o) => {
      const c = structuredClone(o);
      if (builtIn) {
        delete c.kind;
        delete c.apiVersion;
      }
      return c;
    });
    const next = start + limit < all.length ? String(start + limit) : undefined;
    return { status: 200, body: { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: String(this.rv), ...(next ? { continue: next } : {}) }, items } };
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
