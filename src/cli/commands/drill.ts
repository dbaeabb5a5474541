// gitops-dr drill: restore a backup into a scratch namespace of the secondary, verify every object, report the RTO,
// remove the scratch namespace (also after a failure or Ctrl-C). Never touches the live Argo CD namespace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, stringFlag, UsageError } from '../args';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { KUBE_FLAGS, clientFromFlags } from '../kubeFlags';
import { describeError } from '../../core/kube/errors';
import { formatProblem, RestoreRefusedError } from '../../core/restore';
import { formatDrillMarkdown, runDrill } from '../../core/drill/drill';
import { readBackupInput } from './restore';
import { STORED_SOURCE_FLAGS, STORED_SOURCE_USAGE, readStoredInput } from '../store/storeSource';

const USAGE = `usage: gitops-dr drill (FILE|- | --from-store LOCATION [--agent ID] [--backup ID]) --context C [-n NS] [--scratch-namespace N] [--report FILE.md] [--kubeconfig P]... [-o text|json]
  Restores the backup into a new scratch namespace on context C (no Argo CD watches it; every AppProject gets a deny
  window), reads every object back and compares it with the backup, prints the RTO (start to verified) and the
  counts, writes a Markdown report (--report), and deletes the scratch namespace again, also after a failure or
  Ctrl-C. NS is the live Argo CD namespace (default: the context's), which the drill never uses.
${STORED_SOURCE_USAGE}
  exit 0: drill passed; 1: refused or failed verification; 2: bad usage; 3: a cluster call failed`;

export const drillCommand: CliCommand = {
  summary: 'restore drill: restore into a scratch namespace, verify, report the RTO, clean up',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, [...KUBE_FLAGS, ...STORED_SOURCE_FLAGS, { name: 'output', short: 'o', value: true }, { name: 'scratch-namespace', value: true }, { name: 'report', value: true }]);
    const fromStore = stringFlag(parsed, 'from-store') !== undefined;
    if (!fromStore && parsed.positional.length !== 1) throw new UsageError(parsed.positional.length === 0 ? 'name the backup FILE (or - for standard input, or --from-store LOCATION)' : `one input only, got ${parsed.positional.join(' ')}`);
    let source = parsed.positional[0] ?? '';
    const output = stringFlag(parsed, 'output') ?? 'text';
    if (output !== 'text' && output !== 'json') throw new UsageError(`-o must be text or json, got "${output}"`);
    let input: Buffer | string;
    try {
      // The newest stored backup that verifies (size and SHA-256), or the one --backup names: what a restore would use.
      const stored = await readStoredInput(parsed, io);
      if (stored) {
        for (const w of stored.warnings) io.stderr.write(`warning: ${w}\n`);
        io.stderr.write(`drilling the stored backup ${stored.label}\n`);
        ({ text: input, label: source } = stored);
      } else input = await readBackupInput(source, io);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.stderr.write(`gitops-dr drill: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
    const { client, kubeconfig, context } = await clientFromFlags(parsed, io);
    const argoNamespace = stringFlag(parsed, 'namespace') ?? kubeconfig.contexts.find((c) => c.name === context)?.namespace;
    const scratch = stringFlag(parsed, 'scratch-namespace');
    const abort = new AbortController();
    const onSignal = (): void => {
      io.stderr.write('gitops-dr drill: interrupted; removing the scratch namespace\n');
      abort.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const report = await runDrill(client, input, {
        ...(argoNamespace ? { argoNamespace } : {}),
        ...(scratch ? { scratchNamespace: scratch } : {}),
        signal: abort.signal,
        sourceLabel: source === '-' ? 'standard input' : source,
        onPhase: (p) => void io.stderr.write(`drill: ${p}\n`),
      });
      const markdown = formatDrillMarkdown(report);
      const reportFile = stringFlag(parsed, 'report');
      if (reportFile) fs.writeFileSync(path.resolve(io.cwd, reportFile), markdown, { mode: 0o600 });
      if (output === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else io.stdout.write(markdown);
      if (!report.cleanup.namespaceDeleted) return EXIT.failed;
      return report.ok ? EXIT.ok : report.error && !report.mismatches.length ? EXIT.failed : EXIT.findings;
    } catch (e) {
      if (e instanceof RestoreRefusedError) {
        io.stderr.write(`gitops-dr drill: refused, ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}; nothing was written\n`);
        for (const p of e.problems) io.stderr.write(`  ${formatProblem(p, source === '-' ? '<stdin>' : source)}\n`);
        return EXIT.findings;
      }
      io.stderr.write(`gitops-dr drill: ${describeError(e)}\n`);
      return EXIT.failed;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      client.close();
    }
  },
};
