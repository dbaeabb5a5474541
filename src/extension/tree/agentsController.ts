// Runs discovery for the tree: all contexts in parallel, results streamed into the model, a newer refresh
// cancelling an older one, and one context retried alone.
import { discoverContext } from '../../core/agents/discover';
import { describeError } from '../../core/kube/errors';
import type { KubeAccess } from '../kubeAccess';
import type { Settings } from '../settings';
import { AgentsModel } from './agentsModel';

/**
 * Refresh requests closer together than this share one discovery (a burst of kubeconfig writes by a credential
 * plugin, a held refresh button): each discovery opens new TLS connections to every server, and back-to-back ones
 * took the extension host's CPU from running operations (a restore under a refresh every 15 ms never applied).
 */
export const REFRESH_COALESCE_MS = 1_000;

export class AgentsController {
  readonly model = new AgentsModel();
  private running: AbortController | undefined;
  private current: Promise<void> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** The one refresh waiting for the coalescing window to end; every request made meanwhile joins it. */
  private queued: { promise: Promise<void>; timer: NodeJS.Timeout; release: () => void } | undefined;

  constructor(
    private readonly kube: KubeAccess,
    private readonly settings: () => Settings,
    private readonly log: (message: string) => void,
  ) {}

  /** Whether discovery ever ran: it starts when the view is first shown or a command needs it, not at activation. */
  get started(): boolean {
    return this.current !== undefined;
  }

  /**
   * Re-reads the kubeconfig and probes every context; resolves when a discovery that started after this call has
   * answered or timed out. Within REFRESH_COALESCE_MS of the last start, the request waits for the window's end
   * and shares one discovery with the other requests made meanwhile.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued.promise;
    const wait = this.lastStart + REFRESH_COALESCE_MS - Date.now();
    if (wait <= 0) return this.start();
    let release: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => {
      this.queued = undefined;
      void this.start().then(release, release);
    }, wait);
    this.queued = { promise, timer, release };
    return promise;
  }

  private start(): Promise<void> {
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    this.lastStart = Date.now();
    this.kube.reset();
    this.current = this.run(abort.signal);
    return this.current;
  }

  /** A refresh if discovery has started (file watch, interval, settings); nothing before that. */
  refreshIfStarted(): Promise<void> {
    return this.started ? this.refresh() : Promise.resolve();
  }

  /** The refresh in flight, or a finished one; starts discovery if it never ran. */
  whenIdle(): Promise<void> {
    return this.queued?.promise ?? this.current ?? this.refresh();
  }

  private async run(signal: AbortSignal): Promise<void> {
    const started = Date.now();
    const kubeconfig = await this.kube.kubeconfig();
    const problem = kubeconfig.problems.map((p) => p.message).join('; ') || undefined;
    if (problem) this.log(`kubeconfig: ${problem}`);
    this.model.begin(kubeconfig.contexts, problem);
    const namespaces = this.settings().agentNamespaces;
    await Promise.all(kubeconfig.contexts.map((info) => this.probeOne(info.name, namespaces, signal)));
    if (signal.aborted) return;
    this.model.finish();
    const s = this.model.snapshot;
    const down = s.contexts.filter((c) => c.state === 'unreachable').length;
    this.log(`discovery: ${s.contexts.length} contexts (${down} unreachable), ${s.groups.length} DR groups, ${s.singles.length} single agents in ${Date.now() - started} ms`);
  }

  private async probeOne(context: string, namespaces: readonly string[], signal: AbortSignal): Promise<void> {
    const kubeconfig = await this.kube.kubeconfig();
    const info = kubeconfig.contexts.find((c) => c.name === context);
    if (!info) return;
    let status;
    try {
      const client = await this.kube.client(context);
      status = await discoverContext(client, info, { namespaces, signal });
    } catch (e) {
      status = { name: info.name, isCurrent: info.isCurrent, file: info.file, ...(info.server ? { server: info.server } : {}), state: 'unreachable' as const, reason: describeError(e), agents: [] };
    }
    if (signal.aborted) return;
    if (status.state === 'unreachable') this.log(`context ${context}: ${status.reason}`);
    this.model.update(status);
  }

  /** Probes one context again (the "retry" action on an unreachable context). */
  async retry(context: string): Promise<void> {
    const signal = this.running?.signal ?? new AbortController().signal;
    await this.probeOne(context, this.settings().agentNamespaces, signal);
  }

  dispose(): void {
    if (this.queued) {
      clearTimeout(this.queued.timer);
      this.queued.release();
      this.queued = undefined;
    }
    this.running?.abort();
  }
}
