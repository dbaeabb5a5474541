// Runs discovery for the tree: all contexts in parallel, results streamed into the model, a newer refresh
// cancelling an older one, and one context retried alone.
import { discoverContext } from '../../core/agents/discover';
import { describeError } from '../../core/kube/errors';
import type { KubeAccess } from '../kubeAccess';
import type { Settings } from '../settings';
import { AgentsModel } from './agentsModel';

export class AgentsController {
  readonly model = new AgentsModel();
  private running: AbortController | undefined;
  private current: Promise<void> | undefined;

  constructor(
    private readonly kube: KubeAccess,
    private readonly settings: () => Settings,
    private readonly log: (message: string) => void,
  ) {}

  /** Whether discovery ever ran: it starts when the view is first shown or a command needs it, not at activation. */
  get started(): boolean {
    return this.current !== undefined;
  }

  /** Re-reads the kubeconfig and probes every context; resolves when all have answered or timed out. */
  refresh(): Promise<void> {
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
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
    return this.current ?? this.refresh();
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
    this.running?.abort();
  }
}
