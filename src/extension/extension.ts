// Activation: build the shared services, then let each feature register its own commands and views.
import type * as vscode from 'vscode';
import { createLog } from './log';
import { KubeAccess } from './kubeAccess';
import { readSettings } from './settings';
import type { ExtensionServices } from './services';
import { registerAgentsTree } from './tree/registerAgentsTree';
import { registerBackup } from './backup/registerBackup';
import { registerRestore } from './restore/registerRestore';
import { registerLint } from './lint/registerLint';
import { registerFailover } from './failover/registerFailover';
import { registerSecondary } from './secondary/registerSecondary';
import { registerStore } from './store/registerStore';

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionServices> {
  const started = Date.now();
  const log = createLog();
  const kube = new KubeAccess(readSettings);
  context.subscriptions.push(log, kube);
  const services: ExtensionServices = { context, log, kube, settings: readSettings };
  services.agents = registerAgentsTree(services, kube);
  registerBackup(services);
  registerRestore(services);
  registerLint(services);
  registerFailover(services);
  registerSecondary(services);
  registerStore(services);

  services.activationMs = Date.now() - started;
  log.info(`GitOps Agent DR activated in ${services.activationMs} ms`);
  return services;
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
