// gitops-dr backup: the backup `argocd admin export` makes, read through the Kubernetes API (or, with --exec, made
// by Argo CD's own binary inside the application controller), written atomically to a file with mode 0600.
import { parseArgs, boolFlag, numberFlag, stringFlag, UsageError } from '../args';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { KUBE_FLAGS, clientFromFlags } from '../kubeFlags';
import { describeError } from '../../core/kube/errors';
import { parseNamespaceList } from '../../core/argo/namespaces';
import { defaultBackupFileName, describeBackup, runBackup, saveBackupFile, type BackupResult, type RunBackupOptions } from '../../core/backup';
import * as path from 'node:path';
import { BACKUP_TO_FLAGS, BACKUP_TO_USAGE, backupToStore } from '../store/backupToStore';

const USAGE = `usage: gitops-dr backup --context C [-n NS] [-o FILE|- | --to LOCATION [--keep-last N] [--keep-within D] [--encrypt-to R]] [--application-namespaces G] [--applicationset-namespaces G] [--exec]
                        [--kubeconfig P]... [--timeout S] [--page-size N]
  Writes the backup \`argocd admin export\` would write (same objects, order and YAML) for the agent namespace NS
  (default: the context's namespace). The file holds Secret data: it is created with mode 0600, written to a
  temporary name and renamed only when complete. Default FILE: <context>-<namespace>-<UTC time>.backup.yaml;
  "-o -" writes to standard output.
  --application-namespaces, --applicationset-namespaces  comma-separated globs or /regex/ (default: argocd-cmd-params-cm)
  --exec        run \`argocd admin export\` in sts/argocd-application-controller through the exec API instead
${BACKUP_TO_USAGE}
  exit 0: complete; 1: written, but a required Argo CD ConfigMap was missing; 2: bad usage; 3: failed (no file written)`;

function namespacesFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = parseNamespaceList(value);
  return list.length > 0 ? list : undefined;
}

export const backupCommand: CliCommand = {
  summary: 'back up an agent namespace exactly as `argocd admin export` does',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, [
      ...KUBE_FLAGS,
      { name: 'output', short: 'o', value: true },
      { name: 'application-namespaces', value: true },
      { name: 'applicationset-namespaces', value: true },
      { name: 'exec' },
      { name: 'page-size', value: true },
      ...BACKUP_TO_FLAGS,
    ]);
    if (parsed.positional.length > 0) throw new UsageError(`unexpected argument "${parsed.positional[0]}"`);
    if (stringFlag(parsed, 'to') === undefined) for (const f of BACKUP_TO_FLAGS) if (parsed.flags[f.name] !== undefined) throw new UsageError(`--${f.name} only applies with --to`);
    const { client, kubeconfig, context } = await clientFromFlags(parsed, io);
    const namespace = stringFlag(parsed, 'namespace') ?? kubeconfig.contexts.find((c) => c.name === context)?.namespace ?? 'default';
    const output = stringFlag(parsed, 'output') ?? path.join(io.cwd, defaultBackupFileName(context, namespace));
    const abort = new AbortController();
    const onSignal = (): void => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const options: RunBackupOptions = { namespace, exec: boolFlag(parsed, 'exec'), signal: abort.signal };
    const appNs = namespacesFlag(stringFlag(parsed, 'application-namespaces'));
    const appSetNs = namespacesFlag(stringFlag(parsed, 'applicationset-namespaces'));
    if (appNs) options.applicationNamespaces = appNs;
    if (appSetNs) options.applicationSetNamespaces = appSetNs;
    const pageSize = numberFlag(parsed, 'page-size');
    if (pageSize !== undefined) options.pageSize = Math.floor(pageSize);

    if (stringFlag(parsed, 'to') !== undefined) {
      try {
        return await backupToStore(parsed, io, client, context, options);
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        client.close();
      }
    }
    let result: BackupResult;
    try {
      if (output === '-') {
        result = await runBackup(client, options, (chunk) => writeToStream(io.stdout, chunk));
      } else {
        const target = path.resolve(io.cwd, output);
        result = await saveBackupFile(target, (sink) => runBackup(client, options, sink));
        io.stderr.write(`wrote ${target} (mode 0600; it holds Secret data)\n`);
      }
    } catch (e) {
      io.stderr.write(`gitops-dr backup: ${describeError(e)}\n${output === '-' ? 'the output above is incomplete\n' : 'no backup file was written\n'}`);
      return EXIT.failed;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      client.close();
    }
    for (const line of describeBackup(result, context)) io.stderr.write(`${line}\n`);
    return result.missing.length > 0 ? EXIT.findings : EXIT.ok;
  },
};

/** Writes and waits for the stream to take it (backpressure: memory stays at one page). */
function writeToStream(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(chunk, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else stream.once('drain', () => resolve());
  });
}
