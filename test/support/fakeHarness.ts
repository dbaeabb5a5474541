// A local stand-in for the Harness GitOps agent API (the live service is not reachable from the tests). It answers
// the agent endpoints of the Harness API reference (https://apidocs.harness.io/) with the documented shapes, enforces `x-api-key`,
// validates request bodies strictly (unknown fields, wrong types, path/body mismatch), and can be told to answer
// slowly or to fail with 429/5xx sequences, so the client's timeouts, retries and error handling are really run.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { renderDeployYaml } from './fakeDeployYaml';

export type FakeNodeType = 'PRIMARY' | 'SECONDARY' | 'UNKNOWN_TYPE';

/** One agent node in the fake: one DR member of an agent (or a plain agent without DR). */
export interface FakeNode {
  account: string;
  org?: string;
  project?: string;
  /** The agent identifier, shared by the members of a pair. */
  identifier: string;
  name?: string;
  drIdentifier?: string;
  drName?: string;
  type?: FakeNodeType;
  namespace?: string;
  highAvailability?: boolean;
  byoa?: boolean;
  syncAllowed?: boolean;
  connected?: boolean;
  /** Components to report UNHEALTHY, e.g. ['argoRepoServer']. */
  unhealthy?: string[];
  appProjects?: string[];
  /** The agent's token, put into its install manifest (Secret gitops-agent). */
  token?: string;
  version?: string;
}

export interface FakeHarnessOptions {
  /** Keys that may do everything. */
  apiKeys: string[];
  /** Keys that may only read (PUT/PATCH answer 403). */
  readOnlyKeys?: string[];
  nodes: FakeNode[];
  /** Put the presented key into 401 messages, as a careless server might: the client must redact it. */
  echoKeyInErrors?: boolean;
  /** Path prefix of the base URL, like Harness's `/gateway`. */
  prefix?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** Whether an x-api-key header came; its value is never recorded. */
  hadKey: boolean;
  status: number;
}

interface Match {
  method?: string;
  /** Substring of the path (after the prefix). */
  path?: string;
}

interface Injected extends Match {
  status?: number;
  retryAfter?: string;
  delayMs?: number;
  body?: string;
}

const PREFIX = '/gitops/api/v1/agents';
const GRPC_CODES: Record<number, { code: number; error: string }> = {
  400: { code: 3, error: 'InvalidArgument' },
  401: { code: 16, error: 'Unauthenticated' },
  403: { code: 7, error: 'PermissionDenied' },
  404: { code: 5, error: 'NotFound' },
  405: { code: 12, error: 'Unimplemented' },
  429: { code: 8, error: 'ResourceExhausted' },
  500: { code: 13, error: 'Internal' },
  502: { code: 14, error: 'Unavailable' },
  503: { code: 14, error: 'Unavailable' },
  504: { code: 4, error: 'DeadlineExceeded' },
};

/** A deploy.yaml answer: sent as application/yaml text. */
class RawYaml {
  constructor(readonly text: string) {}
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class FakeHarness {
  readonly requests: RecordedRequest[] = [];
  private readonly nodes: FakeNode[];
  private readonly injected: Injected[] = [];
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeHarnessOptions,
    readonly url: string,
  ) {
    this.nodes = options.nodes.map((n) => ({ ...n }));
  }

  static async start(options: FakeHarnessOptions): Promise<FakeHarness> {
    const prefix = options.prefix ?? '/gateway';
    // The handler needs the instance, which needs the listening server: a holder breaks the cycle.
    const holder: { fake?: FakeHarness } = {};
    const server = http.createServer((req, res) => void holder.fake!.handle(req, res, prefix));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    holder.fake = new FakeHarness(server, options, `http://127.0.0.1:${port}${prefix}`);
    return holder.fake;
  }

  /** The next `times` matching requests answer only after `ms`. */
  slow(ms: number, match: Match = {}, times = 1): void {
    for (let i = 0; i < times; i++) this.injected.push({ ...match, delayMs: ms });
  }

  /** The next matching requests fail with these statuses, one each, in order (e.g. [429, 503]). */
  failNext(statuses: number[], match: Match & { retryAfter?: string } = {}): void {
    for (const status of statuses) this.injected.push({ ...match, status });
  }

  /** The next matching request gets this raw 200 body (for malformed-answer tests). */
  answerRawOnce(body: string, match: Match = {}): void {
    this.injected.push({ ...match, status: 200, body });
  }

  /** A copy of the node state. */
  node(identifier: string, drIdentifier?: string): FakeNode | undefined {
    const n = this.nodes.find((x) => x.identifier === identifier && (x.drIdentifier ?? '') === (drIdentifier ?? ''));
    return n ? { ...n } : undefined;
  }

  setNode(identifier: string, drIdentifier: string | undefined, patch: Partial<FakeNode>): void {
    const n = this.nodes.find((x) => x.identifier === identifier && (x.drIdentifier ?? '') === (drIdentifier ?? ''));
    if (!n) throw new Error(`no node ${identifier}/${drIdentifier}`);
    Object.assign(n, patch);
  }

  requestsTo(method: string, pathPart: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.includes(pathPart));
  }

  async close(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeInjected(method: string, path: string): Injected | undefined {
    const i = this.injected.findIndex((x) => (!x.method || x.method === method) && (!x.path || path.includes(x.path)));
    return i < 0 ? undefined : this.injected.splice(i, 1)[0];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, prefix: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const key = req.headers['x-api-key'];
    const record: RecordedRequest = { method, path, query, hadKey: typeof key === 'string', status: 0 };
    this.requests.push(record);
    const raw = await readBody(req);

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      if (res.destroyed) return;
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
      res.end(text);
    };
    const fail = (status: number, message: string, headers: Record<string, string> = {}): void => {
      const g = GRPC_CODES[status] ?? { code: 2, error: 'Unknown' };
      send(status, { error: message, code: g.code, message, details: [] }, headers);
    };

    const injected = this.takeInjected(method, path);
    if (injected?.delayMs) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.pending.delete(t);
          resolve();
        }, injected.delayMs);
        this.pending.add(t);
        res.once('close', () => {
          clearTimeout(t);
          this.pending.delete(t);
          resolve();
        });
      });
      if (res.destroyed || res.writableEnded) return;
    }
    if (injected?.status) {
      if (injected.body !== undefined) return send(injected.status, injected.body);
      return fail(injected.status, injected.status === 429 ? 'rate limit exceeded' : 'service unavailable, try again', injected.retryAfter ? { 'Retry-After': injected.retryAfter } : {});
    }

    try {
      // Authentication first, as the gateway does.
      if (typeof key !== 'string' || key.length === 0) throw new HttpFailure(401, 'missing x-api-key header: authentication required');
      const full = this.options.apiKeys.includes(key);
      const readOnly = (this.options.readOnlyKeys ?? []).includes(key);
      if (!full && !readOnly) throw new HttpFailure(401, this.options.echoKeyInErrors ? `invalid API key ${key}` : 'invalid or expired API key');
      if (!path.startsWith(PREFIX)) throw new HttpFailure(404, `no route for ${method} ${path}`);
      const rest = path.slice(PREFIX.length).split('/').filter((s) => s.length > 0).map(decodeURIComponent);
      if (method !== 'GET' && readOnly) throw new HttpFailure(403, `principal lacks permission gitops_agent_edit for ${method} ${path}`);
      const answer = this.route(method, rest, query, raw, req.headers['content-type'], record);
      if (answer instanceof RawYaml) {
        record.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/yaml', 'Content-Length': String(Buffer.byteLength(answer.text)) });
        res.end(answer.text);
        return;
      }
      send(200, answer);
    } catch (e) {
      if (e instanceof HttpFailure) fail(e.status, e.message);
      else fail(500, `internal error: ${(e as Error).message}`);
    }
  }

  private route(method: string, rest: string[], query: Record<string, string>, raw: string, contentType: string | undefined, record: RecordedRequest): unknown {
    if (rest.length === 0) {
      if (method === 'POST') {
        const body = parseJsonBody(raw, contentType);
        record.body = body;
        return renderAgent(this.create(body));
      }
      if (method !== 'GET') throw new HttpFailure(405, `method ${method} not allowed`);
      return this.list(query);
    }
    const [id, sub, ...more] = rest;
    if (more.length > 0) throw new HttpFailure(404, `no route for ${rest.join('/')}`);
    if (sub === undefined) {
      if (method !== 'GET') throw new HttpFailure(405, `method ${method} not allowed`);
      const scope = requireScopeQuery(query);
      const node = this.findNode(id!, scope, query.drIdentifier);
      return renderAgent(node);
    }
    if (sub === 'deploy.yaml') {
      if (method !== 'GET') throw new HttpFailure(405, `method ${method} not allowed on deploy.yaml`);
      const scope = requireScopeQuery(query);
      if (!query.namespace) throw new HttpFailure(400, 'namespace is required');
      const node = this.findNode(id!, scope, query.disasterRecoveryIdentifier);
      return new RawYaml(
        renderDeployYaml(node, {
          namespace: query.namespace,
          ...(query.disasterRecoveryIdentifier ? { drIdentifier: query.disasterRecoveryIdentifier } : {}),
          skipCrds: boolParam(query, 'skipCrds'),
          token: node.token ?? 'fake-token',
          version: node.version ?? 'v0.98.1',
        }),
      );
    }
    if (sub === 'primaryNode') {
      if (method !== 'PATCH') throw new HttpFailure(405, `method ${method} not allowed on primaryNode`);
      const body = parseJsonBody(raw, contentType);
      record.body = body;
      checkFields(body, { accountIdentifier: 'string!', orgIdentifier: 'string', projectIdentifier: 'string', agentIdentifier: 'string!', disasterRecoveryIdentifier: 'string!', disableSyncWindows: 'boolean' });
      if (body.agentIdentifier !== id) throw new HttpFailure(400, `agentIdentifier "${String(body.agentIdentifier)}" in the body differs from "${id}" in the path`);
      const scope = { account: body.accountIdentifier as string, org: body.orgIdentifier as string | undefined, project: body.projectIdentifier as string | undefined };
      const target = this.findNode(id!, scope, body.disasterRecoveryIdentifier as string);
      for (const n of this.membersOf(target)) n.type = n === target ? 'PRIMARY' : 'SECONDARY';
      if (body.disableSyncWindows === true) target.syncAllowed = true;
      return renderAgent(target);
    }
    if (sub === 'sync-allowed') {
      if (method === 'GET') {
        const scope = requireScopeQuery(query);
        if (!query.disasterRecoveryIdentifier) throw new HttpFailure(400, 'disasterRecoveryIdentifier is required');
        return { syncAllowed: this.findNode(id!, scope, query.disasterRecoveryIdentifier).syncAllowed ?? true };
      }
      if (method === 'PUT') {
        const body = parseJsonBody(raw, contentType);
        record.body = body;
        checkFields(body, { accountIdentifier: 'string!', orgIdentifier: 'string', projectIdentifier: 'string', agentIdentifier: 'string!', disasterRecoveryIdentifier: 'string!', syncAllowed: 'boolean!' });
        if (body.agentIdentifier !== id) throw new HttpFailure(400, `agentIdentifier "${String(body.agentIdentifier)}" in the body differs from "${id}" in the path`);
        const scope = { account: body.accountIdentifier as string, org: body.orgIdentifier as string | undefined, project: body.projectIdentifier as string | undefined };
        const node = this.findNode(id!, scope, body.disasterRecoveryIdentifier as string);
        node.syncAllowed = body.syncAllowed as boolean;
        return { syncAllowed: node.syncAllowed };
      }
      throw new HttpFailure(405, `method ${method} not allowed on sync-allowed`);
    }
    throw new HttpFailure(404, `no route for ${rest.join('/')}`);
  }

  /** POST /agents: strict about the documented v1Agent fields; 409 when the identifier (or DR node) is taken. */
  private create(body: Record<string, unknown>): FakeNode {
    checkFields(body, { accountIdentifier: 'string!', orgIdentifier: 'string', projectIdentifier: 'string', identifier: 'string!', name: 'string!', description: 'string', tags: 'object', type: 'string!', metadata: 'object!', disasterRecoveryNode: 'object', operator: 'string' });
    if (body.type !== 'MANAGED_ARGO_PROVIDER') throw new HttpFailure(400, `type must be MANAGED_ARGO_PROVIDER (CONNECTED is deprecated, HOSTED cannot be created), got "${String(body.type)}"`);
    const metadata = body.metadata as Record<string, unknown>;
    checkFields(metadata, { namespace: 'string!', highAvailability: 'boolean', existingInstallation: 'boolean', isNamespaced: 'boolean', infraType: 'string' });
    const dr = body.disasterRecoveryNode as Record<string, unknown> | undefined;
    if (dr) {
      checkFields(dr, { identifier: 'string!', name: 'string', type: 'string!' });
      if (dr.type !== 'PRIMARY' && dr.type !== 'SECONDARY') throw new HttpFailure(400, `disasterRecoveryNode.type must be PRIMARY or SECONDARY, got "${String(dr.type)}"`);
    }
    const scope = { account: body.accountIdentifier as string, org: body.orgIdentifier as string | undefined, project: body.projectIdentifier as string | undefined };
    if (scope.project && !scope.org) throw new HttpFailure(400, 'projectIdentifier needs orgIdentifier');
    const members = this.nodes.filter((n) => n.identifier === body.identifier && inScope(n, scope));
    if (members.length > 0) {
      if (!dr) throw new HttpFailure(409, `an agent with identifier ${String(body.identifier)} already exists in this scope`);
      if (members.some((m) => m.drIdentifier === dr.identifier)) throw new HttpFailure(409, `agent ${String(body.identifier)} already has a disaster recovery node ${String(dr.identifier)}`);
      if (!members.some((m) => m.drIdentifier)) throw new HttpFailure(400, `agent ${String(body.identifier)} has no disaster recovery enabled: make it a DR primary first`);
      const primary = members.find((m) => m.type === 'PRIMARY') ?? members[0]!;
      if (dr.type === 'SECONDARY' && (primary.namespace ?? 'argocd') !== metadata.namespace) throw new HttpFailure(400, `a secondary must use the primary's namespace "${primary.namespace ?? 'argocd'}"`);
    } else if (dr?.type === 'SECONDARY') {
      throw new HttpFailure(400, `no primary agent ${String(body.identifier)} in this scope to attach the secondary to`);
    }
    const node: FakeNode = {
      account: scope.account,
      ...(scope.org ? { org: scope.org } : {}),
      ...(scope.project ? { project: scope.project } : {}),
      identifier: body.identifier as string,
      name: body.name as string,
      ...(dr ? { drIdentifier: dr.identifier as string, drName: (dr.name as string | undefined) ?? (dr.identifier as string), type: dr.type as FakeNodeType } : {}),
      namespace: metadata.namespace as string,
      highAvailability: metadata.highAvailability === true,
      byoa: metadata.existingInstallation === true,
      syncAllowed: dr?.type !== 'SECONDARY',
      connected: false,
      token: randomBytes(18).toString('base64url'),
    };
    this.nodes.push(node);
    return node;
  }

  private list(query: Record<string, string>): unknown {
    const scope = requireScopeQuery(query);
    const pageSize = intParam(query, 'pageSize', 20);
    const pageIndex = intParam(query, 'pageIndex', 0);
    if (pageSize < 1 || pageSize > 1000) throw new HttpFailure(400, 'pageSize must be between 1 and 1000');
    const includeSecondary = boolParam(query, 'includeSecondary');
    const matching = this.nodes.filter(
      (n) =>
        inScope(n, scope) &&
        (!query.identifier || n.identifier === query.identifier) &&
        (!query.drIdentifier || n.drIdentifier === query.drIdentifier) &&
        (!query.searchTerm || n.identifier.includes(query.searchTerm) || (n.name ?? '').includes(query.searchTerm)) &&
        (includeSecondary || n.type !== 'SECONDARY'),
    );
    const content = matching.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize).map(renderAgent);
    return {
      content,
      totalPages: Math.ceil(matching.length / pageSize),
      totalItems: matching.length,
      pageItemCount: content.length,
      pageSize,
      pageIndex,
      empty: content.length === 0,
    };
  }

  private findNode(id: string, scope: Scope, drIdentifier: string | undefined): FakeNode {
    const members = this.nodes.filter((n) => n.identifier === id && inScope(n, scope));
    if (members.length === 0) throw new HttpFailure(404, `agent ${id} not found in account ${scope.account}${scope.org ? `/${scope.org}` : ''}${scope.project ? `/${scope.project}` : ''}`);
    if (drIdentifier) {
      const node = members.find((n) => n.drIdentifier === drIdentifier);
      if (!node) throw new HttpFailure(404, `agent ${id} has no disaster recovery node ${drIdentifier}`);
      return node;
    }
    return members.find((n) => n.type === 'PRIMARY') ?? members[0]!;
  }

  private membersOf(node: FakeNode): FakeNode[] {
    return this.nodes.filter((n) => n.identifier === node.identifier && n.account === node.account && n.org === node.org && n.project === node.project);
  }
}

interface Scope {
  account: string;
  org?: string | undefined;
  project?: string | undefined;
}

function inScope(n: FakeNode, s: Scope): boolean {
  return n.account === s.account && (n.org ?? '') === (s.org ?? '') && (n.project ?? '') === (s.project ?? '');
}

function requireScopeQuery(query: Record<string, string>): Scope {
  if (!query.accountIdentifier) throw new HttpFailure(400, 'accountIdentifier is required');
  if (query.projectIdentifier && !query.orgIdentifier) throw new HttpFailure(400, 'projectIdentifier needs orgIdentifier');
  return { account: query.accountIdentifier, org: query.orgIdentifier, project: query.projectIdentifier };
}

function intParam(query: Record<string, string>, name: string, fallback: number): number {
  const v = query[name];
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new HttpFailure(400, `${name} must be an integer, got "${v}"`);
  return Number(v);
}

function boolParam(query: Record<string, string>, name: string): boolean {
  const v = query[name];
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') throw new HttpFailure(400, `${name} must be true or false, got "${v}"`);
  return v === 'true';
}

function parseJsonBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!contentType?.toLowerCase().startsWith('application/json')) throw new HttpFailure(400, `Content-Type must be application/json, got "${contentType ?? ''}"`);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpFailure(400, 'request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpFailure(400, 'request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** `string!` = required string; `boolean` = optional boolean. Unknown fields are refused, as grpc-gateway does. */
function checkFields(body: Record<string, unknown>, spec: Record<string, string>): void {
  for (const field of Object.keys(body)) if (!(field in spec)) throw new HttpFailure(400, `unknown field "${field}" in request body`);
  for (const [field, t] of Object.entries(spec)) {
    const required = t.endsWith('!');
    const type = t.replace('!', '');
    const v = body[field];
    if (v === undefined) {
      if (required) throw new HttpFailure(400, `${field} is required`);
      continue;
    }
    if (typeof v !== type) throw new HttpFailure(400, `${field} must be a ${type}`);
    if (type === 'string' && required && (v as string).length === 0) throw new HttpFailure(400, `${field} must not be empty`);
  }
}

function renderAgent(n: FakeNode): Record<string, unknown> {
  const component = (name: string): Record<string, unknown> => ({ status: n.unhealthy?.includes(name) ? 'UNHEALTHY' : 'HEALTHY', message: '', k8sError: false, version: 'v3.1.0' });
  const appProjMap = Object.fromEntries((n.appProjects ?? []).map((p) => [p, { projectIdentifier: n.project ?? '', orgIdentifier: n.org ?? '' }]));
  return {
    accountIdentifier: n.account,
    ...(n.org ? { orgIdentifier: n.org } : {}),
    ...(n.project ? { projectIdentifier: n.project } : {}),
    identifier: n.identifier,
    name: n.name ?? n.identifier,
    description: '',
    tags: {},
    type: n.byoa ? 'CONNECTED_ARGO_PROVIDER' : 'MANAGED_ARGO_PROVIDER',
    scope: n.project ? 'PROJECT' : n.org ? 'ORG' : 'ACCOUNT',
    metadata: { namespace: n.namespace ?? 'argocd', highAvailability: n.highAvailability ?? false, existingInstallation: n.byoa ?? false, isNamespaced: false, deployedApplicationCount: 0, mappedProjects: { appProjMap }, infraType: 'UNSET' },
    health: {
      lastHeartbeat: new Date().toISOString(),
      connectionStatus: n.connected === false ? 'DISCONNECTED' : 'CONNECTED',
      harnessGitopsAgent: component('harnessGitopsAgent'),
      argoAppController: component('argoAppController'),
      argoRepoServer: component('argoRepoServer'),
      argoRedisServer: component('argoRedisServer'),
      argoAppSetController: component('argoAppSetController'),
      argoHAProxy: { status: 'HEALTH_STATUS_UNSET', message: '', k8sError: false, version: '' },
    },
    version: { major: '0', minor: '98', patch: '1' },
    upgradeAvailable: false,
    ...(n.drIdentifier ? { disasterRecoveryNode: { identifier: n.drIdentifier, name: n.drName ?? n.drIdentifier, type: n.type ?? 'UNKNOWN_TYPE' } } : {}),
    operator: 'ARGO',
    prefixedIdentifier: n.project ? n.identifier : n.org ? `org.${n.identifier}` : `account.${n.identifier}`,
    deletionInProgress: false,
    createdAt: { seconds: '1700000000', nanos: 0 },
    lastModifiedAt: { seconds: '1700000000', nanos: 0 },
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
