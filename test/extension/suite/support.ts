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

/**
 * Records the write requests (POST/PUT/PATCH/DELETE) of the long operations, by method and path, so a test can
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
          if (method !== 'GET') writes.set(`${method} ${path}`, (writes.get(`${method} ${path}`) ?? 0) + 1);
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

/** Refreshes the agents tree over and over (each refresh closes discovery's clients) until stopped. */
export function refreshStorm(api: ExtensionServices, everyMs = 15): { stop(): Promise<number> } {
  let count = 0;
  let last: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    count++;
    last = api.agents!.refresh();
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await last.catch(() => undefined);
      return count;
    },
  };
}
