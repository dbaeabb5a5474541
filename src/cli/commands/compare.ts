// gitops-dr compare: the drift view of a DR pair. A backup file (or a live primary namespace) is compared with a
// live namespace exactly as a restore would plan it; nothing is written.
import { parseArgs, boolFlag, stringFlag, UsageError } from '../args';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { KUBE_FLAGS, clientFromFlags, timeoutMsFromFlags } from '../kubeFlags';
import { KubeClient } from '../../core/kube/client';
import { describeError } from '../../core/kube/errors';
import { compareWithLive } from '../../core/compare/compare';
import { formatPlanText, formatProblem, planHasErrors, planReport, RestoreRefusedError, type RestorePlan } from '../../core/restore';
import { readBackupFile, restoreOptionsFromFlags } from './restore';
import { STORED_SOURCE_FLAGS, STORED_SOURCE_USAGE, readStoredInput } from '../store/storeSource';

const USAGE = `usage: gitops-dr compare (FILE|- | --from-store LOCATION [--agent ID] [--backup ID] | --from-context C1 [--from-namespace NS1]) --context C [-n NS]
                         [--stop-operation] [--skip-resources-with-label K=V] [--ignore-tracking]
                         [--application-namespaces G] [--applicationset-namespaces G]
                         [--kubeconfig P]... [--timeout S] [-o text|json] [--verbose]
  Shows what restoring the source into namespace NS of context C would change: objects to create, update (with
  their changed fields; Secret values never shown), prune, or that are unchanged. The source is a backup file, or
  the live Argo CD namespace NS1 of context C1 (e.g. the primary of a DR pair; default NS1: NS). Writes nothing.
${STORED_SOURCE_USAGE}
  exit 0: no drift; 1: drift or errors in the plan; 2: bad usage or unreadable input; 3: a cluster call failed`;

export const compareCommand: CliCommand = {
  summary: 'compare a backup or a live primary with a live namespace (drift of a DR pair)',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, [
      ...KUBE_FLAGS,
      { name: 'output', short: 'o', value: true },
      { name: 'from-context', value: true },
      { name: 'from-namespace', value: true },
      { name: 'stop-operation' },
      { name: 'skip-resources-with-label', value: true },
      { name: 'ignore-tracking' },
      { name: 'application-namespaces', value: true },
      { name: 'applicationset-namespaces', value: true },
      { name: 'verbose' },
      ...STORED_SOURCE_FLAGS,
    ]);
    const fromContext = stringFlag(parsed, 'from-context');
    if (fromContext && parsed.positional.length > 0) throw new UsageError('give a FILE or --from-context, not both');
    const fromStore = stringFlag(parsed, 'from-store') !== undefined;
    if (fromContext && fromStore) throw new UsageError('give --from-store or --from-context, not both');
    if (!fromContext && !fromStore && parsed.positional.length !== 1) throw new UsageError('name the source: a backup FILE (or -), or --from-context');
    const format = stringFlag(parsed, 'output') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`-o must be text or json, got "${format}"`);

    let input: Buffer | string | undefined;
    let storedLabel: string | undefined;
    if (!fromContext) {
      try {
        const stored = await readStoredInput(parsed, io);
        if (stored) {
          for (const w of stored.warnings) io.stderr.write(`warning: ${w}\n`);
          ({ text: input, label: storedLabel } = stored);
        } else input = await readBackupFile(parsed.positional[0]!, io);
      } catch (e) {
        if (e instanceof UsageError) throw e;
        io.stderr.write(`gitops-dr compare: ${(e as Error).message}\n`);
        return EXIT.usage;
      }
    }
    const { client, kubeconfig, context } = await clientFromFlags(parsed, io);
    let sourceClient: KubeClient | undefined;
    try {
      const namespace = stringFlag(parsed, 'namespace') ?? kubeconfig.contexts.find((c) => c.name === context)?.namespace;
      if (!namespace) throw new UsageError(`name the target namespace with -n (context "${context}" sets none)`);
      const options = { ...restoreOptionsFromFlags(parsed, namespace), stopOperation: boolFlag(parsed, 'stop-operation') };
      let plan: RestorePlan;
      try {
        if (fromContext) {
          if (!kubeconfig.contexts.some((c) => c.name === fromContext)) throw new UsageError(`context "${fromContext}" is not in the kubeconfig`);
          sourceClient = await KubeClient.forContext(kubeconfig, fromContext, { timeoutMs: timeoutMsFromFlags(parsed) });
          const fromNamespace = stringFlag(parsed, 'from-namespace') ?? namespace;
          plan = await compareWithLive({ kind: 'live', client: sourceClient, namespace: fromNamespace }, client, options);
        } else {
          const label = storedLabel ?? (parsed.positional[0] === '-' ? 'standard input' : parsed.positional[0]!);
          plan = await compareWithLive({ kind: 'backup', input: input!, label }, client, options);
        }
      } catch (e) {
        if (e instanceof RestoreRefusedError) {
          io.stderr.write(`gitops-dr compare: refused\n`);
          for (const p of e.problems) io.stderr.write(`  ${formatProblem(p, storedLabel ?? parsed.positional[0])}\n`);
          return EXIT.findings;
        }
        throw e;
      }
      if (format === 'json') io.stdout.write(`${JSON.stringify(planReport(plan), null, 2)}\n`);
      else io.stdout.write(formatPlanText(plan, { listUnchanged: boolFlag(parsed, 'verbose'), title: 'Drift (what a restore would change)' }));
      const drift = plan.counts.create + plan.counts.update + plan.counts.prune > 0;
      return drift || planHasErrors(plan) ? EXIT.findings : EXIT.ok;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.stderr.write(`gitops-dr compare: ${describeError(e)}\n`);
      return EXIT.failed;
    } finally {
      client.close();
      sourceClient?.close();
    }
  },
};
