// @kubernetes/client-node 1.x is ESM-only; this project compiles to CommonJS (the VS Code extension host loads
// CommonJS), so the library is loaded once through a real dynamic import and shared. Only its config module is
// loaded (KubeConfig: kubeconfig parsing and every auth method); the generated API clients are not needed and
// would make the bundle five times larger.
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type { ClientNode };

type ConfigModule = typeof import('@kubernetes/client-node/dist/config.js', { with: { 'resolution-mode': 'import' } });

let loaded: Promise<ConfigModule> | undefined;

export function loadClientNode(): Promise<ConfigModule> {
  loaded ??= import('@kubernetes/client-node/dist/config.js');
  return loaded;
}
