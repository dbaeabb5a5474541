// gitops-dr restore: `argocd admin import` done in two steps. Without --apply (or --dry-run) it prints the plan
// and writes nothing; with --apply it applies that plan and prints one Argo CD style line per object.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, boolFlag, numberFlag, stringFlag, UsageError, type ParsedArgs } from '../args';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { KUBE_FLAGS, clientFromFlags } from '../kubeFlags';
import { describeError } from '../../core/kube/errors';
import { decodeBackupBytes } from '../../core/yaml/utf8';
import { parseNamespaceList } from '../../core/argo/namespaces';
import {
  applyRestore,
  createNamespaces,
  formatPlanText,
  missingNamespacesOf,
  formatProblem,
  formatResultText,
  planBackupRestore,
  planHasErrors,
  planReport,
  RestoreRefusedError,
  type RestoreOptions,
  type RestorePlan,
} from '../../core/restore';
import { STORED_SOURCE_FLAGS, STORED_SOURCE_USAGE, readStoredInput } from '../store/storeSource';

/** A larger input is refused before it is read into memory (a scale backup of 5,000 Applications is ~15 MB). */
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

const USAGE = `usage: gitops-dr restore (FILE|- | --from-store LOCATION [--agent ID] [--backup ID]) --context C [-n NS] [--apply | --dry-run] [--prune [--allow-finalizer-strip]]
                         [--no-stop-operation] [--skip-resources-with-label K=V] [--ignore-tracking] [--override-on-conflict]
                         [--application-namespaces G] [--applicationset-namespaces G] [--concurrency N]
                         [--drop-fence] [--create-namespaces]
                         [--kubeconfig P]... [--timeout S] [-o text|json] [--verbose]
  Restores a backup (multi-document YAML or a JSON stream; "-" reads standard input) into namespace NS of context C
  (default: the context's namespace). First the whole input is checked and compared with the live namespace;
  without --apply the plan is printed and nothing is written.
${STORED_SOURCE_USAGE}
  --apply                write the plan: ConfigMaps and Secrets, AppProjects, Applications, ApplicationSets
  --dry-run              send every write as a server-side dry run (the API server validates, nothing is stored)
  --prune                delete Argo CD objects of the namespace that the backup does not hold (never ConfigMaps);
                         nothing is deleted when the plan has errors or a write failed
  --allow-finalizer-strip  remove an Application's finalizers before pruning it (default: keep them)
  --stop-operation       clear an Application's in-flight .operation (default: on); --no-stop-operation keeps it
  --skip-resources-with-label K=V  neither restore nor prune objects with this label
  --ignore-tracking      keep the live tracking-id annotation and instance label
  --override-on-conflict after a 409, update over changes made since the plan
  --application-namespaces, --applicationset-namespaces  comma-separated globs or /regex/ (default: argocd-cmd-params-cm)
  --drop-fence           replace the target's fence (deny windows gitops-dr or Harness added, or marked "dr-fence:")
                         with the backup's windows; by default the fence is kept and syncs stay blocked
  --create-namespaces    create the application namespaces the backup's objects need (only enabled ones) before
                         applying; without it the plan names each missing namespace
  exit 0: done (or a plan without errors); 1: the input or the plan has errors; 2: bad usage or unreadable input;
       3: some objects failed to apply`;

const RESTORE_FLAGS = [
  ...KUBE_FLAGS,
  { name: 'output', short: 'o', value: true },
  { name: 'apply' },
  { name: 'dry-run' },
  { name: 'prune' },
  { name: 'allow-finalizer-strip' },
  { name: 'stop-operation' },
  { name: 'no-stop-operation' },
  { name: 'skip-resources-with-label', value: true },
  { name: 'ignore-tracking' },
  { name: 'override-on-conflict' },
  { name: 'application-namespaces', value: true },
  { name: 'applicationset-namespaces', value: true },
  { name: 'concurrency', value: true },
  { name: 'drop-fence' },
  { name: 'create-namespaces' },
  { name: 'verbose' },
  ...STORED_SOURCE_FLAGS,
];

/**
 * Reads FILE or stdin ("-"), refusing input larger than MAX_INPUT_BYTES without holding it all. One copy is kept
 * for the restore: its text when the bytes are UTF-8 (10.6 MB less held through a scale plan than bytes and text),
 * else the bytes, so the gate can say where the first bad byte is (BK011).
 */
/** A backup file (or stdin) as one copy: its text when it is valid UTF-8, else its bytes (so BK011 can point at the bad one). */
export async function readBackupFile(source: string, io: CliIO, maxBytes = MAX_INPUT_BYTES): Promise<Buffer | string> {
  const bytes = await readInputBytes(source, io, maxBytes);
  const decoded = decodeBackupBytes(bytes);
  return decoded.invalid ? bytes : decoded.text;
}

async function readInputBytes(source: string, io: CliIO, maxBytes: number): Promise<Buffer> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin as AsyncIterable<Buffer | string>) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > maxBytes) throw new InputError(`standard input is larger than ${maxBytes} bytes: refused`);
      chunks.push(b);
    }
    return Buffer.concat(chunks);
  }
  const file = path.resolve(io.cwd, source);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new InputError(`cannot read ${source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (!stat.isFile()) throw new InputError(`${source} is not a file`);
  if (stat.size > maxBytes) throw new InputError(`${source} is larger than ${maxBytes} bytes: refused`);
  return fs.readFileSync(file);
}

/**
 * The backup a restore-like command reads: the newest stored backup that verifies (size and SHA-256), or the one
 * --backup names, when --from-store is given; else FILE or standard input. Undefined, with the reason written to
 * stderr, when it cannot be read (a usage error is thrown as such).
 */
export async function readBackupInput(parsed: ParsedArgs, io: CliIO, source: string, command: string, verb: string): Promise<{ input: Buffer | string; source: string } | undefined> {
  try {
    const stored = await readStoredInput(parsed, io);
    if (!stored) return { input: await readBackupFile(source, io), source };
    for (const w of stored.warnings) io.stderr.write(`warning: ${w}\n`);
    io.stderr.write(`${verb} the stored backup ${stored.label}\n`);
    return { input: stored.text, source: stored.label };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.stderr.write(`gitops-dr ${command}: ${(e as Error).message}\n`);
    return undefined;
  }
}

class InputError extends Error {}

function namespacesFlag(parsed: ParsedArgs, name: string): string[] | undefined {
  const v = stringFlag(parsed, name);
  if (v === undefined) return undefined;
  const list = parseNamespaceList(v);
  return list.length > 0 ? list : undefined;
}

export function restoreOptionsFromFlags(parsed: ParsedArgs, namespace: string): RestoreOptions {
  if (boolFlag(parsed, 'stop-operation') && boolFlag(parsed, 'no-stop-operation')) throw new UsageError('--stop-operation and --no-stop-operation exclude each other');
  const skip = stringFlag(parsed, 'skip-resources-with-label');
  if (skip !== undefined && !/^[^=]+=.+$/.test(skip)) throw new UsageError(`--skip-resources-with-label must look like key=value, got "${skip}"`);
  const options: RestoreOptions = {
    namespace,
    stopOperation: !boolFlag(parsed, 'no-stop-operation'),
    ignoreTracking: boolFlag(parsed, 'ignore-tracking'),
    overrideOnConflict: boolFlag(parsed, 'override-on-conflict'),
  };
  if (boolFlag(parsed, 'drop-fence')) options.dropTargetFence = true;
  if (skip) options.skipResourcesWithLabel = skip;
  const appNs = namespacesFlag(parsed, 'application-namespaces');
  const appSetNs = namespacesFlag(parsed, 'applicationset-namespaces');
  if (appNs) options.applicationNamespaces = appNs;
  if (appSetNs) options.applicationSetNamespaces = appSetNs;
  return options;
}

function outputFormat(parsed: ParsedArgs): 'text' | 'json' {
  const o = stringFlag(parsed, 'output') ?? 'text';
  if (o !== 'text' && o !== 'json') throw new UsageError(`-o must be text or json, got "${o}"`);
  return o;
}

export const restoreCommand: CliCommand = {
  summary: 'restore a backup: plan (compare with live) first, then --apply',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, RESTORE_FLAGS);
    const fromStore = stringFlag(parsed, 'from-store') !== undefined;
    if (!fromStore && parsed.positional.length !== 1) throw new UsageError(parsed.positional.length === 0 ? 'name the backup FILE (or - for standard input, or --from-store LOCATION)' : `one input only, got ${parsed.positional.join(' ')}`);
    let source = parsed.positional[0] ?? '';
    const format = outputFormat(parsed);
    const apply = boolFlag(parsed, 'apply');
    const dryRun = boolFlag(parsed, 'dry-run');
    const prune = boolFlag(parsed, 'prune');
    if (boolFlag(parsed, 'allow-finalizer-strip') && !prune) throw new UsageError('--allow-finalizer-strip only applies with --prune');
    const concurrency = numberFlag(parsed, 'concurrency');

    const read = await readBackupInput(parsed, io, source, 'restore', 'restoring');
    if (!read) return EXIT.usage;
    const input = read.input;
    source = read.source;
    const { client, kubeconfig, context } = await clientFromFlags(parsed, io);
    const namespace = stringFlag(parsed, 'namespace') ?? kubeconfig.contexts.find((c) => c.name === context)?.namespace;
    if (!namespace) {
      client.close();
      throw new UsageError(`name the target namespace with -n (context "${context}" sets none)`);
    }
    const options = restoreOptionsFromFlags(parsed, namespace);
    const abort = new AbortController();
    const onSignal = (): void => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const label = source === '-' ? 'standard input' : source;
    try {
      let plan: RestorePlan;
      try {
        plan = (await planBackupRestore(client, input, options, { signal: abort.signal, sourceLabel: label })).plan;
        const missing = missingNamespacesOf(plan);
        if (missing.length > 0 && boolFlag(parsed, 'create-namespaces') && apply && !dryRun) {
          const created = await createNamespaces(client, missing, 'restore', abort.signal);
          io.stderr.write(`created namespace${created.length === 1 ? '' : 's'} ${created.join(', ')} on ${context}\n`);
          plan = (await planBackupRestore(client, input, options, { signal: abort.signal, sourceLabel: label })).plan;
        } else if (missing.length > 0 && boolFlag(parsed, 'create-namespaces')) {
          io.stderr.write(`with --apply, --create-namespaces creates ${missing.join(', ')} on ${context} first\n`);
        }
      } catch (e) {
        if (e instanceof RestoreRefusedError) {
          io.stderr.write(`gitops-dr restore: refused, ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in ${label}; nothing was written\n`);
          for (const p of e.problems) io.stderr.write(`  ${formatProblem(p, source === '-' ? '<stdin>' : source)}\n`);
          return EXIT.findings;
        }
        throw e;
      }
      if (!apply && !dryRun) {
        if (format === 'json') io.stdout.write(`${JSON.stringify({ plan: planReport(plan) }, null, 2)}\n`);
        else {
          io.stdout.write(formatPlanText(plan, { listUnchanged: boolFlag(parsed, 'verbose') }));
          io.stdout.write(planHasErrors(plan) ? '' : '\nNothing was written. Run again with --apply to restore (or --dry-run to have the server validate it).\n');
        }
        return planHasErrors(plan) ? EXIT.findings : EXIT.ok;
      }
      if (format === 'text') io.stderr.write(formatPlanText(plan, { listUnchanged: false }) + '\n');
      const result = await applyRestore(client, plan, {
        dryRun,
        prune,
        allowFinalizerStrip: boolFlag(parsed, 'allow-finalizer-strip'),
        signal: abort.signal,
        ...(concurrency !== undefined ? { concurrency: Math.floor(concurrency) } : {}),
      });
      if (format === 'json') io.stdout.write(`${JSON.stringify({ plan: planReport(plan), result }, null, 2)}\n`);
      else {
        io.stdout.write(formatResultText(result));
        const c = result.concurrency;
        if (c) io.stderr.write(`requests in flight: ${c.adaptive ? `adaptive, ${c.lowest}-${c.highest} (last ${c.last})` : `${c.last} (--concurrency)`}\n`);
      }
      return result.counts.failed > 0 ? EXIT.failed : planHasErrors(plan) ? EXIT.findings : EXIT.ok;
    } catch (e) {
      io.stderr.write(`gitops-dr restore: ${describeError(e)}\n`);
      return EXIT.failed;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      client.close();
    }
  },
};
