// Typed access to the extension's settings (contributed in package.json under gitopsDr.*).
import * as vscode from 'vscode';

export interface Settings {
  kubeconfigPaths: string[];
  probeTimeoutMs: number;
  refreshIntervalMs: number;
  /** Namespaces to look in when the identity may not list namespaces cluster-wide. */
  agentNamespaces: string[];
  backupFileGlobs: string[];
  harnessBaseUrl: string;
  harnessAccount: string;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('gitopsDr');
  return {
    kubeconfigPaths: c.get<string[]>('kubeconfigPaths', []),
    probeTimeoutMs: Math.max(1, c.get<number>('probeTimeoutSeconds', 5)) * 1000,
    refreshIntervalMs: Math.max(0, c.get<number>('refreshIntervalSeconds', 0)) * 1000,
    agentNamespaces: c.get<string[]>('agentNamespaces', []),
    backupFileGlobs: c.get<string[]>('backupFileGlobs', ['**/*.backup.yaml', '**/*backup*.y?(a)ml']),
    harnessBaseUrl: c.get<string>('harness.baseUrl', 'https://app.harness.io/gateway'),
    harnessAccount: c.get<string>('harness.accountIdentifier', ''),
  };
}
