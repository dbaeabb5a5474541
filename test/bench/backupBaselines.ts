// The baselines a backup is measured against, shared by backup.bench.ts and argocd.bench.ts: kubectl listing the
// same kinds as YAML, and the raw-HTTP floor (rawListClient.ts), each a process of its own.
import { join } from 'node:path';

/** Page size of every side: a backup, kubectl --chunk-size and the floor list 500 objects per request. */
export const BACKUP_PAGE = 500;

/** `kubectl get` of the kinds a backup holds, `-o yaml`, same page size (stdout: the YAML). */
export function kubectlGetArgv(kubeconfig: string, context: string, namespace: string): string[] {
  return ['kubectl', '--kubeconfig', kubeconfig, '--context', context, '-n', namespace, 'get', 'configmaps,secrets,appprojects.argoproj.io,applications.argoproj.io,applicationsets.argoproj.io', '-o', 'yaml', '--chunk-size', String(BACKUP_PAGE)];
}

/** The raw-HTTP list floor as a process (stdout: its own figures as JSON, see rawListClient.ts). */
export function rawListArgv(kubeconfig: string, context: string, namespace: string): string[] {
  return [process.execPath, join(__dirname, 'rawListClient.js'), '--kubeconfig', kubeconfig, '--context', context, '--namespace', namespace];
}
