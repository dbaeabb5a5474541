// Flags every cluster command shares, and the merged kubeconfig they select.
import { kubeconfigFiles, loadKubeconfig, type MergedKubeconfig } from '../core/kube/kubeconfig';
import { KubeClient } from '../core/kube/client';
import { UsageError, numberFlag, type FlagSpec, type ParsedArgs } from './args';
import type { CliIO } from './io';

export const KUBE_FLAGS: FlagSpec[] = [
  { name: 'kubeconfig', value: true, repeat: true },
  { name: 'context', value: true },
  { name: 'namespace', short: 'n', value: true },
  { name: 'timeout', value: true },
];

export async function kubeconfigFromFlags(parsed: ParsedArgs, io: CliIO): Promise<MergedKubeconfig> {
  const explicit = (parsed.flags.kubeconfig as string[] | undefined) ?? [];
  const merged = await loadKubeconfig(kubeconfigFiles(explicit, io.env));
  for (const p of merged.problems) io.stderr.write(`warning: ${p.message}\n`);
  if (merged.files.length === 0) throw new UsageError(`no kubeconfig could be read (${merged.problems.map((p) => p.file).join(', ') || 'none given'})`);
  return merged;
}

export function timeoutMsFromFlags(parsed: ParsedArgs, fallbackSeconds = 10): number {
  return (numberFlag(parsed, 'timeout') ?? fallbackSeconds) * 1000;
}

/** A client for --context (else the kubeconfig's current context); never changes the current context. */
export async function clientFromFlags(parsed: ParsedArgs, io: CliIO): Promise<{ client: KubeClient; kubeconfig: MergedKubeconfig; context: string }> {
  const kubeconfig = await kubeconfigFromFlags(parsed, io);
  const context = (parsed.flags.context as string | undefined) ?? kubeconfig.currentContext;
  if (!context) throw new UsageError('no --context given and the kubeconfig has no current context');
  if (!kubeconfig.contexts.some((c) => c.name === context)) {
    throw new UsageError(`context "${context}" is not in the kubeconfig; known: ${kubeconfig.contexts.map((c) => c.name).join(', ')}`);
  }
  const client = await KubeClient.forContext(kubeconfig, context, { timeoutMs: timeoutMsFromFlags(parsed) });
  return { client, kubeconfig, context };
}
