// A small client for the Harness GitOps agent API (the calls a DR tool needs): list and read agents with their
// disaster recovery node, switch the primary node, read and set sync-allowed. Per-request timeout, retries with
// backoff on 429/5xx/network errors, errors as HarnessError values. The API key is held in a private field and never
// appears in a message, a log line or an inspected object.
import { HarnessError, adviceFor, reasonOfStatus, redact, type HarnessErrorReason } from './errors';
import { sleep } from '../util/sleep';
import {
  API_PREFIX,
  DEFAULT_HARNESS_BASE_URL,
  type GatewayRuntimeError,
  type HarnessScope,
  type SyncAllowedRequest,
  type SyncAllowedResponse,
  type V1Agent,
  type V1AgentList,
  type V1AgentSetPrimaryNodeRequest,
} from './types';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface HarnessClientOptions {
  /** Default https://app.harness.io/gateway (or a vanity host). */
  baseUrl?: string;
  apiKey: string;
  /** The account used when a call's scope names none. */
  account?: string;
  /** Per attempt: the whole answer must arrive within it. Default 15 s. */
  timeoutMs?: number;
  /** Extra attempts after a 429, a 5xx or a network error. Default 3. */
  retries?: number;
  /** First backoff delay; doubles per attempt (with jitter). Default 500 ms. */
  retryBaseMs?: number;
  /** Upper bound for one wait, including a server's Retry-After. Default 10 s. */
  maxRetryDelayMs?: number;
  fetch?: FetchLike;
  /** One line per attempt (method, path, status, time); never headers, bodies or the key. */
  log?: (line: string) => void;
}

export interface ListAgentsQuery extends HarnessScope {
  identifier?: string;
  drIdentifier?: string;
  includeSecondary?: boolean;
  searchTerm?: string;
  /** Page size asked for; every page is read. Default 100. */
  pageSize?: number;
}

export interface GetAgentQuery extends HarnessScope {
  drIdentifier?: string;
  includeSecondary?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
}

interface Call {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST';
  path: string;
  /** The answer is text (e.g. deploy.yaml), not JSON. */
  text?: boolean;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** What this call does, for messages: "get agent a1 (DR node west)". */
  what: string;
  signal?: AbortSignal;
  /** Do not retry on 5xx (a create that may have happened). Network errors before an answer are not retried either. */
  noRetry?: boolean;
}

const MAX_PAGES = 1000;
// A header value fetch accepts; checked up front so a bad key is never echoed back in a fetch error.
const HEADER_SAFE = /^[\x21-\x7e]+$/;

export class HarnessClient {
  readonly baseUrl: string;
  readonly account: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly #apiKey: string;
  readonly #fetch: FetchLike;
  readonly #retryBaseMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #log: ((line: string) => void) | undefined;

  constructor(options: HarnessClientOptions) {
    const base = (options.baseUrl ?? DEFAULT_HARNESS_BASE_URL).trim().replace(/\/+$/, '');
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new HarnessError('config', `the Harness base URL "${base}" is not a URL (expected e.g. ${DEFAULT_HARNESS_BASE_URL})`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HarnessError('config', `the Harness base URL "${base}" must start with https://`);
    if (url.username || url.password) throw new HarnessError('config', 'the Harness base URL must not carry credentials; give the API key separately');
    if (!options.apiKey) throw new HarnessError('config', 'no Harness API key: set one (VS Code: "GitOps DR: Set Harness API Key"; CLI: HARNESS_API_KEY)');
    if (!HEADER_SAFE.test(options.apiKey)) throw new HarnessError('config', 'the Harness API key holds spaces, line breaks or non-ASCII characters: paste it again');
    this.baseUrl = base;
    this.account = options.account || undefined;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retries = Math.max(0, options.retries ?? 3);
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    this.#log = options.log;
  }

  /** Every agent matching the query, all pages read. */
  async listAgents(query: ListAgentsQuery = {}, opts: CallOptions = {}): Promise<V1Agent[]> {
    const agents: V1Agent[] = [];
    const pageSize = query.pageSize ?? 100;
    const what = `list agents${query.identifier ? ` with identifier ${query.identifier}` : ''}`;
    for (let pageIndex = 0; pageIndex < MAX_PAGES; pageIndex++) {
      const page = await this.call<V1AgentList>({
        method: 'GET',
        path: API_PREFIX,
        query: {
          ...this.scopeQuery(query),
          identifier: query.identifier,
          drIdentifier: query.drIdentifier,
          includeSecondary: query.includeSecondary,
          searchTerm: query.searchTerm,
          pageSize,
          pageIndex,
        },
        what,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (typeof page !== 'object' || page === null || (page.content !== undefined && !Array.isArray(page.content))) {
        throw new HarnessError('badResponse', `unexpected answer to ${what}: not an agent list (v1AgentList)`);
      }
      const content = page.content ?? [];
      agents.push(...content);
      const totalPages = typeof page.totalPages === 'number' ? page.totalPages : 1;
      if (content.length === 0 || page.empty === true || pageIndex + 1 >= totalPages) break;
    }
    return agents;
  }

  /** One agent (one DR node when drIdentifier is given). */
  async getAgent(identifier: string, query: GetAgentQuery = {}, opts: CallOptions = {}): Promise<V1Agent> {
    requireId('agent identifier', identifier);
    const what = `get agent ${identifier}${query.drIdentifier ? ` (DR node ${query.drIdentifier})` : ''}`;
    const agent = await this.call<V1Agent>({
      method: 'GET',
      path: `${API_PREFIX}/${encodeURIComponent(identifier)}`,
      query: { ...this.scopeQuery(query), drIdentifier: query.drIdentifier, includeSecondary: query.includeSecondary },
      what,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return expectAgent(agent, what);
  }

  /** Makes the DR node `drIdentifier` the primary (active) member of agent `agentIdentifier`. */
  async setPrimaryNode(agentIdentifier: string, drIdentifier: string, options: HarnessScope & { disableSyncWindows?: boolean } = {}, opts: CallOptions = {}): Promise<V1Agent> {
    requireId('agent identifier', agentIdentifier);
    requireId('disaster recovery identifier', drIdentifier);
    const body: V1AgentSetPrimaryNodeRequest = {
      ...this.scopeBody(options),
      agentIdentifier,
      disasterRecoveryIdentifier: drIdentifier,
      disableSyncWindows: options.disableSyncWindows ?? false,
    };
    const what = `make DR node ${drIdentifier} the primary of agent ${agentIdentifier}`;
    const agent = await this.call<V1Agent>({
      method: 'PATCH',
      path: `${API_PREFIX}/${encodeURIComponent(agentIdentifier)}/primaryNode`,
      body,
      what,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return expectAgent(agent, what);
  }

  async getSyncAllowed(agentIdentifier: string, drIdentifier: string, scope: HarnessScope = {}, opts: CallOptions = {}): Promise<boolean> {
    requireId('agent identifier', agentIdentifier);
    requireId('disaster recovery identifier', drIdentifier);
    const what = `read sync-allowed of agent ${agentIdentifier} DR node ${drIdentifier}`;
    const answer = await this.call<SyncAllowedResponse>({
      method: 'GET',
      path: `${API_PREFIX}/${encodeURIComponent(agentIdentifier)}/sync-allowed`,
      query: { ...this.scopeQuery(scope), disasterRecoveryIdentifier: drIdentifier },
      what,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return expectSyncAllowed(answer, what);
  }

  /** Allows or blocks syncs of one DR node (Harness adds or removes deny windows on its mapped AppProjects). */
  async setSyncAllowed(agentIdentifier: string, drIdentifier: string, syncAllowed: boolean, scope: HarnessScope = {}, opts: CallOptions = {}): Promise<boolean> {
    requireId('agent identifier', agentIdentifier);
    requireId('disaster recovery identifier', drIdentifier);
    const body: SyncAllowedRequest = { ...this.scopeBody(scope), agentIdentifier, disasterRecoveryIdentifier: drIdentifier, syncAllowed };
    const what = `${syncAllowed ? 'allow' : 'block'} syncs of agent ${agentIdentifier} DR node ${drIdentifier}`;
    const answer = await this.call<SyncAllowedResponse>({
      method: 'PUT',
      path: `${API_PREFIX}/${encodeURIComponent(agentIdentifier)}/sync-allowed`,
      body,
      what,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return expectSyncAllowed(answer, what);
  }

  /**
   * Creates an agent (POST /agents). For a DR secondary: the primary's scope and identifier, its metadata, and
   * `disasterRecoveryNode {identifier, name, type: SECONDARY}`. Not retried on 5xx: a create that reached the server
   * may have happened, and a second one would answer 409.
   */
  async createAgent(agent: V1Agent, opts: CallOptions = {}): Promise<V1Agent> {
    requireId('agent identifier', agent.identifier ?? '');
    const what = `create agent ${agent.identifier}${agent.disasterRecoveryNode?.identifier ? ` (DR node ${agent.disasterRecoveryNode.identifier})` : ''}`;
    const body: V1Agent = { ...agent, accountIdentifier: this.accountOf({ ...(agent.accountIdentifier ? { account: agent.accountIdentifier } : {}) }) };
    const created = await this.call<V1Agent>({ method: 'POST', path: API_PREFIX, body, what, noRetry: true, ...(opts.signal ? { signal: opts.signal } : {}) });
    return expectAgent(created, what);
  }

  /** The install manifests of one agent node (GET /agents/{id}/deploy.yaml), as YAML text. */
  async getDeployYaml(identifier: string, query: HarnessScope & { namespace: string; drIdentifier?: string; skipCrds?: boolean }, opts: CallOptions = {}): Promise<string> {
    requireId('agent identifier', identifier);
    requireId('namespace', query.namespace);
    const what = `fetch the install manifest of agent ${identifier}${query.drIdentifier ? ` (DR node ${query.drIdentifier})` : ''}`;
    const text = await this.call<string>({
      method: 'GET',
      path: `${API_PREFIX}/${encodeURIComponent(identifier)}/deploy.yaml`,
      query: { ...this.scopeQuery(query), namespace: query.namespace, disasterRecoveryIdentifier: query.drIdentifier, skipCrds: query.skipCrds },
      what,
      text: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (typeof text !== 'string' || !/\bkind\s*:/.test(text)) throw new HarnessError('badResponse', `unexpected answer to ${what}: not a YAML manifest`);
    return text;
  }

  /** Never shows the key, whatever prints the client. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, account: this.account, timeoutMs: this.timeoutMs, retries: this.retries };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `HarnessClient ${JSON.stringify(this.toJSON())}`;
  }

  private accountOf(scope: HarnessScope): string {
    const account = scope.account || this.account;
    if (!account) throw new HarnessError('config', 'no Harness account identifier: set gitopsDr.harness.accountIdentifier (CLI: HARNESS_ACCOUNT_ID), or read it from the agent');
    return account;
  }

  private scopeQuery(scope: HarnessScope): Record<string, string | undefined> {
    return { accountIdentifier: this.accountOf(scope), orgIdentifier: scope.org || undefined, projectIdentifier: scope.project || undefined };
  }

  private scopeBody(scope: HarnessScope): { accountIdentifier: string; orgIdentifier?: string; projectIdentifier?: string } {
    return {
      accountIdentifier: this.accountOf(scope),
      ...(scope.org ? { orgIdentifier: scope.org } : {}),
      ...(scope.project ? { projectIdentifier: scope.project } : {}),
    };
  }

  private async call<T>(call: Call): Promise<T> {
    const url = new URL(this.baseUrl + call.path);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: call.text ? 'application/yaml, text/plain, */*' : 'application/json', 'x-api-key': this.#apiKey };
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const shown = `${call.method} ${url.pathname}`;

    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      let outcome: { ok: true; value: T } | { ok: false; error: HarnessError; retryAfterMs?: number };
      try {
        outcome = await this.attempt<T>(url, call, headers, body, shown);
      } catch (e) {
        // attempt() only throws HarnessError; anything else is a defect worth seeing, without the key.
        outcome = { ok: false, error: e instanceof HarnessError ? e : new HarnessError('network', redact(`network error on ${shown}: ${(e as Error).message}`, this.#apiKey)) };
      }
      this.#log?.(`${shown} -> ${outcome.ok ? 'ok' : outcome.error.status ?? outcome.error.reason} in ${Date.now() - started} ms${attempt > 0 ? ` (attempt ${attempt + 1})` : ''}`);
      if (outcome.ok) return outcome.value;
      const { error } = outcome;
      if (!error.retryable || attempt >= this.retries || (call.noRetry && error.reason !== 'tooManyRequests')) {
        if (attempt > 0 && error.retryable) throw new HarnessError(error.reason, `${error.message} (after ${attempt + 1} attempts)`, error.status);
        throw error;
      }
      const backoff = this.#retryBaseMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
      await sleep(Math.min(this.#maxRetryDelayMs, Math.max(backoff, outcome.retryAfterMs ?? 0)), call.signal, () => new HarnessError('cancelled', `cancelled: ${shown}`));
    }
  }

  private async attempt<T>(url: URL, call: Call, headers: Record<string, string>, body: string | undefined, shown: string): Promise<{ ok: true; value: T } | { ok: false; error: HarnessError; retryAfterMs?: number }> {
    if (call.signal?.aborted) throw new HarnessError('cancelled', `cancelled: ${call.what}`);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    const failed = (e: unknown): HarnessError => {
      if (timedOut) return new HarnessError('timeout', `timeout: Harness did not answer within ${this.timeoutMs / 1000}s to ${call.what} (${shown} at ${url.host})`);
      if (call.signal?.aborted) return new HarnessError('cancelled', `cancelled: ${call.what}`);
      return new HarnessError('network', redact(`network error: cannot reach Harness at ${url.host} to ${call.what}: ${socketReason(e)}`, this.#apiKey));
    };
    try {
      let res: Awaited<ReturnType<FetchLike>>;
      let text: string;
      try {
        res = await this.#fetch(url.toString(), { method: call.method, headers, ...(body !== undefined ? { body } : {}), signal: controller.signal });
        text = await res.text();
      } catch (e) {
        const error = failed(e);
        if (error.reason === 'cancelled') throw error;
        return { ok: false, error };
      }
      if (res.status >= 200 && res.status < 300) {
        if (text.trim() === '') return { ok: false, error: new HarnessError('badResponse', `unexpected empty answer to ${call.what} (${shown})`, res.status) };
        if (call.text) return { ok: true, value: text as T };
        try {
          return { ok: true, value: JSON.parse(text) as T };
        } catch {
          return { ok: false, error: new HarnessError('badResponse', `unexpected answer to ${call.what} (${shown}): not JSON`, res.status) };
        }
      }
      const error = this.errorOf(res.status, text, call, shown);
      const retryAfter = retryAfterMs(res.headers.get('retry-after'));
      return { ok: false, error, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) };
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    }
  }

  private errorOf(status: number, text: string, call: Call, shown: string): HarnessError {
    const reason: HarnessErrorReason = reasonOfStatus(status);
    let serverMessage = '';
    try {
      const parsed = JSON.parse(text) as GatewayRuntimeError;
      serverMessage = [parsed.error, parsed.message].filter((s, i, all) => typeof s === 'string' && s.length > 0 && all.indexOf(s) === i).join(': ');
    } catch {
      serverMessage = text.slice(0, 200).replace(/\s+/g, ' ').trim();
    }
    const advice = adviceFor(reason);
    const message = `${reason} (${status}): cannot ${call.what} (${shown})${serverMessage ? `: ${serverMessage}` : ''}${advice ? ` — ${advice}` : ''}`;
    return new HarnessError(reason, redact(message, this.#apiKey), status);
  }
}

function requireId(what: string, value: string): void {
  if (!value || typeof value !== 'string') throw new HarnessError('config', `missing ${what}`);
}

function expectAgent(agent: V1Agent, what: string): V1Agent {
  if (typeof agent !== 'object' || agent === null || Array.isArray(agent)) throw new HarnessError('badResponse', `unexpected answer to ${what}: not an agent (v1Agent)`);
  return agent;
}

function expectSyncAllowed(answer: SyncAllowedResponse, what: string): boolean {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw new HarnessError('badResponse', `unexpected answer to ${what}: not an object`);
  // proto3 JSON leaves out false booleans: an object without the field means "not allowed".
  if (answer.syncAllowed === undefined) return false;
  if (typeof answer.syncAllowed !== 'boolean') throw new HarnessError('badResponse', `unexpected answer to ${what}: syncAllowed is not a boolean`);
  return answer.syncAllowed;
}

function socketReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (e as { code?: string })?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return cause?.message ?? (e as Error)?.message ?? String(e);
  }
}

/** Retry-After as seconds or an HTTP date. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

