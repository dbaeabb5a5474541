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
