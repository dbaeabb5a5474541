// Shared by the extension-host tests: the activated extension's services.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../../../src/extension/services';

export const EXTENSION_ID = 'gitops-dr.gitops-agent-dr';

export async function services(): Promise<ExtensionServices> {
  const ext = vscode.extensions.getExtension<ExtensionServices>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} not found`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** The demo scenario's KUBECONFIG, which the runner passes to the extension host. */
export function demoKubeconfig(): string {
  const k = process.env.KUBECONFIG;
  if (!k) throw new Error('KUBECONFIG is not set: the extension-host suite runs against the demo test clusters');
  return k;
}

/** The demo's kubeconfig of the `limited` user (contexts `<cluster>-limited`: reads everything but Secrets). */
export function limitedKubeconfig(): string {
  const k = process.env.GITOPS_DR_LIMITED_KUBECONFIG;
  if (!k) throw new Error('GITOPS_DR_LIMITED_KUBECONFIG is not set: the runner passes the demo scenario\'s kubeconfig.limited');
  return k;
}

/**
 * Records the write requests (POST/PUT/PATCH/DELETE) of the long operations, by method and object, so a test can
 * tell that no write was sent twice (a retry). Wraps the clients the extension hands to an operation.
 */
export function recordOperationWrites(api: ExtensionServices): { writes: Map<string, number>; retried(): string[]; restore(): void } {
  const kube = api.kube as { forOperation: ExtensionServices['kube']['forOperation'] };
  const original = kube.forOperation;
  const writes = new Map<string, number>();
  kube.forOperation = function (this: unknown, operation) {
    const clients = original.call(this, operation);
    const client = clients.client;
    clients.client = async (context) => {
      const c = await client(context);
      const requestText = c.requestText;
      if (!(requestText as { recorded?: boolean }).recorded) {
        const wrapped = function (this: unknown, path: string, opts: Parameters<typeof requestText>[1] = {}) {
          const method = opts.method ?? 'GET';
          // A create is POSTed to the collection: the object is named by the body, not by the path.
          const body = typeof opts.body === 'string' ? undefined : (opts.body as { metadata?: { name?: string } } | undefined);
          const key = method === 'POST' && body?.metadata?.name ? `${method} ${path}/${body.metadata.name}` : `${method} ${path}`;
          if (method !== 'GET') writes.set(key, (writes.get(key) ?? 0) + 1);
          return requestText.call(this, path, opts);
        };
        (wrapped as { recorded?: boolean }).recorded = true;
        c.requestText = wrapped;
      }
      return c;
    };
    return clients;
  };
  return { writes, retried: () => [...writes].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`), restore: () => (kube.forOperation = original) };
}

/**
 * Asks for a refresh of the agents tree over and over (each discovery closes discovery's clients) until stopped,
 * or at the latest after `maxMs`: a test that times out never reaches its `finally`, and a storm left running
 * would starve the tests after it.
 */
export function refreshStorm(api: ExtensionServices, everyMs = 15, maxMs = 90_000): { stop(): Promise<number> } {
  let count = 0;
  let last: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    count++;
    last = api.agents!.refresh();
  }, everyMs);
  const limit = setTimeout(() => clearInterval(timer), maxMs);
  return {
    stop: async () => {
      clearInterval(timer);
      clearTimeout(limit);
      await last.catch(() => undefined);
      return count;
    },
  };
}
