// The extension's way to the clusters: the merged kubeconfig (re-read when files or settings change) and one
// cached KubeClient per context. The machine-wide current context is never changed.
import { kubeconfigFiles, loadKubeconfig, type MergedKubeconfig } from '../core/kube/kubeconfig';
import { KubeClient } from '../core/kube/client';
import type { Settings } from './settings';

export class KubeAccess {
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

  async client(context: string): Promise<KubeClient> {
    let client = this.clients.get(context);
    if (!client) {
      client = this.kubeconfig().then((kc) => KubeClient.forContext(kc, context, { timeoutMs: this.settings().probeTimeoutMs }));
      client.catch(() => this.clients.delete(context));
      this.clients.set(context, client);
    }
    return client;
  }

  /** Forget everything read so far: the next call reads the kubeconfig files again. */
  reset(): void {
    for (const c of this.clients.values()) c.then((k) => k.close(), () => undefined);
    this.clients.clear();
    this.merged = undefined;
  }

  dispose(): void {
    this.reset();
  }
}
