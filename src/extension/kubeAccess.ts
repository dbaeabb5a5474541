// The extension's way to the clusters: the merged kubeconfig (re-read when files or settings change), one cached
// probe client per context for discovery, and clients that a long operation owns. The machine-wide current
// context is never changed.
import { kubeconfigFiles, loadKubeconfig, type MergedKubeconfig } from '../core/kube/kubeconfig';
import { KubeClient } from '../core/kube/client';
import type { Settings } from './settings';

/** Per-request timeouts of the long operations: a write under load or a large list takes longer than a probe. */
export const OPERATION_TIMEOUT_MS = { backup: 30_000, restore: 60_000, compare: 30_000, failover: 60_000, syncWindows: 30_000 } as const;
export type Operation = keyof typeof OPERATION_TIMEOUT_MS;

/** What features use to reach a cluster; discovery and each long operation hand out their own clients. */
export interface KubeSource {
  files(): string[];
  kubeconfig(): Promise<MergedKubeconfig>;
  client(context: string): Promise<KubeClient>;
  forOperation(operation: Operation): OperationClients;
}

/** The clients of one operation, one per context, closed together when the operation ends. */
export interface OperationClients extends KubeSource {
  dispose(): void;
}

export class KubeAccess implements KubeSource {
  private merged: Promise<MergedKubeconfig> | undefined;
  private clients = new Map<string, Promise<KubeClient>>();

  constructor(private readonly settings: () => Settings) {}

  files(): string[] {
    return kubeconfigFiles(this.settings().kubeconfigPaths);
  }

  kubeconfig(): Promise<MergedKubeconfig> {
    this.merged ??= loadKubeconfig(this.files());
    return this.merged;
  }

  /** The discovery client of a context (probe timeout); a refresh closes it. */
  async client(context: string): Promise<KubeClient> {
    let client = this.clients.get(context);
    if (!client) {
      client = this.kubeconfig().then((kc) => KubeClient.forContext(kc, context, { timeoutMs: this.settings().probeTimeoutMs }));
      client.catch(() => this.clients.delete(context));
      this.clients.set(context, client);
    }
    return client;
  }

  /**
   * Clients that belong to one operation (restore, compare, failover, sync windows, backup): built from the
   * kubeconfig as it is now, with the operation's timeout, and never closed by a refresh, only by dispose().
   */
  forOperation(operation: Operation): OperationClients {
    const kubeconfig = this.kubeconfig();
    const own = new Map<string, Promise<KubeClient>>();
    return {
      files: () => this.files(),
      kubeconfig: () => kubeconfig,
      forOperation: (other) => this.forOperation(other),
      client: (context) => {
        let client = own.get(context);
        if (!client) {
          client = kubeconfig.then((kc) => KubeClient.forContext(kc, context, { timeoutMs: OPERATION_TIMEOUT_MS[operation] }));
          own.set(context, client);
        }
        return client;
      },
      dispose: () => {
        for (const c of own.values()) c.then((k) => k.close(), () => undefined);
        own.clear();
      },
    };
  }

  /** Forget everything discovery read so far: the next call reads the kubeconfig files again. */
  reset(): void {
    for (const c of this.clients.values()) c.then((k) => k.close(), () => undefined);
    this.clients.clear();
    this.merged = undefined;
  }

  dispose(): void {
    this.reset();
  }
}
