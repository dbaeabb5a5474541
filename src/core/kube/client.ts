// One client per kube context: TLS and credentials come from @kubernetes/client-node (every auth method it
// supports), requests go over a keep-alive agent with a per-request timeout and an AbortSignal.
import * as http from 'node:http';
import * as https from 'node:https';
import { setMaxListeners } from 'node:events';
import { KubeError, fromHttpStatus, fromSocketError } from './errors';
import type { ClientNode } from './clientNode';
import type { MergedKubeconfig } from './kubeconfig';
import { resourcePath, type ResourceType } from '../objects/resources';
import type { KubeObject, ObjectList } from '../objects/kubeObject';

export interface KubeClientOptions {
  /** Per-request timeout; the whole answer must arrive within it. */
  timeoutMs?: number;
  /** Connections kept open to one server; bounds concurrency too. */
  maxSockets?: number;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Accept header; e.g. METADATA_ONLY to list objects without their data (Secrets stay on the server). */
  accept?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Lists answer with metadata only (PartialObjectMetadataList): counts without transferring Secret data. */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

export interface ListOptions {
  labelSelector?: string;
  /** Metadata only: see METADATA_ONLY. */
  metadataOnly?: boolean;
  fieldSelector?: string;
  /** Page size for limit/continue paging. */
  limit?: number;
  signal?: AbortSignal;
}

export interface WriteOptions {
  /** Server-side dry run (`?dryRun=All`). */
  dryRun?: boolean;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class KubeClient {
  private readonly agent: http.Agent;
  private staticHeaders: Record<string, string> | undefined;

  private constructor(
    readonly context: string,
    readonly server: string,
    private readonly kc: ClientNode.KubeConfig,
    private readonly tls: https.AgentOptions,
    private readonly dynamicAuth: boolean,
    private readonly options: Required<KubeClientOptions>,
  ) {
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.agent = server.startsWith('http:') ? new http.Agent(agentOptions) : new https.Agent({ ...agentOptions, ...tls });
  }

  static async forContext(kubeconfig: MergedKubeconfig, context: string, options: KubeClientOptions = {}): Promise<KubeClient> {
    let kc: ClientNode.KubeConfig;
    try {
      kc = kubeconfig.configFor(context);
    } catch (e) {
      throw new KubeError('config', (e as Error).message);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster?.server) throw new KubeError('config', `context "${context}" has no server URL`);
    const user = kc.getCurrentUser();
    const probe: https.RequestOptions = {};
    try {
      await kc.applyToHTTPSOptions(probe);
    } catch (e) {
      throw new KubeError('config', `context "${context}": cannot use its credentials: ${(e as Error).message}`);
    }
    const tls: https.AgentOptions = {};
    for (const key of ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername', 'pfx', 'passphrase'] as const) {
      const v = (probe as Record<string, unknown>)[key];
      if (v !== undefined) (tls as Record<string, unknown>)[key] = v;
    }
    return new KubeClient(context, cluster.server.replace(/\/+$/, ''), kc, tls, Boolean(user?.exec || user?.authProvider), {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxSockets: options.maxSockets ?? 16,
    });
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Authorization headers; recomputed per request only for exec / auth-provider users (tokens expire). */
  private async authHeaders(): Promise<Record<string, string>> {
    if (this.staticHeaders && !this.dynamicAuth) return this.staticHeaders;
    const opts: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    this.staticHeaders = headers;
    return headers;
  }

  /** Sends one request and returns the raw body text; throws KubeError for anything but 2xx. */
  async requestText(path: string, opts: RequestOptions = {}): Promise<string> {
    const method = opts.method ?? 'GET';
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json', ...(await this.authHeaders()) };
    if (body !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs;
    const shownPath = url.pathname + (url.search.includes('continue=') ? '' : url.search);
    if (opts.signal?.aborted) throw new KubeError('cancelled', `cancelled before ${method} ${shownPath}`);

    return new Promise<string>((resolve, reject) => {
      const transport = url.protocol === 'http:' ? http : https;
      let settled = false;
      const finish = (err: KubeError | undefined, text?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(text ?? '');
      };
      const req = transport.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e: NodeJS.ErrnoException) => finish(fromSocketError(e, this.server)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) finish(undefined, text);
          else finish(fromHttpStatus(status, text, method, url.pathname));
        });
      });
      const timer = setTimeout(
        () => finish(new KubeError('timeout', `timeout: no answer within ${timeoutMs / 1000}s on ${method} ${shownPath} (${this.server})`)),
        timeoutMs,
      );
      const onAbort = (): void => finish(new KubeError('cancelled', `cancelled: ${method} ${shownPath}`));
      // One signal is shared by many concurrent requests (discovery, restore); each listener is removed on settle.
      if (opts.signal) setMaxListeners(0, opts.signal);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e: NodeJS.ErrnoException) => finish(fromSocketError(e, this.server)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  async request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const text = await this.requestText(path, opts);
    try {
      return (text.length > 0 ? JSON.parse(text) : undefined) as T;
    } catch {
      throw new KubeError('http', `unexpected answer (not JSON) on ${opts.method ?? 'GET'} ${path} (${this.server})`);
    }
  }

  /** One object, or undefined when it does not exist. */
  async get<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T | undefined> {
    try {
      return await this.request<T>(resourcePath(type, namespace, name), signal ? { signal } : {});
    } catch (e) {
      if (e instanceof KubeError && e.reason === 'notFound') return undefined;
      throw e;
    }
  }

  /** Pages of a list, following `continue` tokens; one page in memory at a time. */
  async *listPages<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, opts: ListOptions = {}): AsyncGenerator<ObjectList<T>> {
    let token: string | undefined;
    do {
      const page: ObjectList<T> = await this.request<ObjectList<T>>(resourcePath(type, namespace), {
        query: { limit: opts.limit ?? 500, continue: token, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector },
        ...(opts.metadataOnly ? { accept: METADATA_ONLY } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      page.items ??= [];
      yield page;
      token = page.metadata?.continue || undefined;
    } while (token);
  }

  async listAll<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, opts: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this.listPages<T>(type, namespace, opts)) items.push(...page.items);
    return items;
  }

  create<T extends KubeObject>(type: ResourceType, namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>(resourcePath(type, namespace), { method: 'POST', body: obj, query: { dryRun: opts.dryRun ? 'All' : undefined }, ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  replace<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>(resourcePath(type, namespace, name), { method: 'PUT', body: obj, query: { dryRun: opts.dryRun ? 'All' : undefined }, ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  /**
   * POST (create) or PUT (replace) whose answer is not needed: the stored object the server sends back is neither
   * parsed nor kept (a restore of thousands of objects would parse each one only to drop it).
   */
  async write(method: 'POST' | 'PUT', type: ResourceType, namespace: string | undefined, name: string | undefined, obj: KubeObject, opts: WriteOptions = {}): Promise<void> {
    const path = method === 'POST' ? resourcePath(type, namespace) : resourcePath(type, namespace, name);
    await this.requestText(path, { method, body: obj, query: { dryRun: opts.dryRun ? 'All' : undefined }, ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  /** JSON merge patch (RFC 7386). */
  patchMerge<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string, patch: unknown, opts: { dryRun?: boolean; signal?: AbortSignal; subresource?: string } = {}): Promise<T> {
    const path = resourcePath(type, namespace, name) + (opts.subresource ? `/${opts.subresource}` : '');
    return this.request<T>(path, { method: 'PATCH', body: patch, contentType: 'application/merge-patch+json', query: { dryRun: opts.dryRun ? 'All' : undefined }, ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  async delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: { dryRun?: boolean; signal?: AbortSignal; uid?: string; resourceVersion?: string; propagationPolicy?: 'Orphan' | 'Background' | 'Foreground' } = {},
  ): Promise<void> {
    const preconditions = opts.uid || opts.resourceVersion ? { uid: opts.uid, resourceVersion: opts.resourceVersion } : undefined;
    await this.request(resourcePath(type, namespace, name), {
      method: 'DELETE',
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        ...(preconditions ? { preconditions } : {}),
        ...(opts.dryRun ? { dryRun: ['All'] } : {}),
        ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /** Whether this identity may do `verb` on a resource (SelfSubjectAccessReview); false when the review itself fails. */
  async can(verb: string, resource: string, group = '', namespace?: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const review = await this.request<{ status?: { allowed?: boolean } }>('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, resource, group, ...(namespace ? { namespace } : {}) } } },
        ...(signal ? { signal } : {}),
      });
      return review?.status?.allowed === true;
    } catch {
      return false;
    }
  }

  /**
   * What a caller needs to open its own connection to this server (e.g. the exec WebSocket): base URL, current
   * auth headers and TLS options. Holds credentials: never log it.
   */
  async connectionOptions(): Promise<{ server: string; headers: Record<string, string>; tls: https.AgentOptions }> {
    return { server: this.server, headers: { ...(await this.authHeaders()) }, tls: { ...this.tls } };
  }

  close(): void {
    this.agent.destroy();
  }
}
