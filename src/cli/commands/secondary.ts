// gitops-dr secondary check|install: set up a secondary DR agent for a primary (or single) agent. `check` runs the
// pre-checks on the target context; `install` runs them, then (with --yes) creates the secondary in Harness with an
// API key and fetches its manifest, or takes the manifest file downloaded from Harness, applies it (dry run first)
// and watches until it is ready. Without a key and without a file it prints the Harness UI steps with the values.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { boolFlag, numberFlag, parseArgs, stringFlag, UsageError, type ParsedArgs } from '../args';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { KUBE_FLAGS, kubeconfigFromFlags, timeoutMsFromFlags } from '../kubeFlags';
import { clientCache, harnessFromEnv } from './failover';
import { discoverAndCheck } from '../../core/secondary/run';
import { formatSecondaryChecks } from '../../core/secondary/format';
import { formatChecklist, secondaryChecklist } from '../../core/secondary/checklist';
import { createSecondaryNode, scopeOf } from '../../core/secondary/harnessNode';
import { installManifest } from '../../core/secondary/install';
import { ApplyError, formatApplied } from '../../core/secondary/apply';
import { ReadinessTimeout } from '../../core/secondary/watch';
import { SecondaryError, type SecondaryCheckReport } from '../../core/secondary/model';
import { HarnessError } from '../../core/harness/errors';
import type { HarnessClient } from '../../core/harness/client';
import { KubeError } from '../../core/kube/errors';
import { DEFAULT_HARNESS_BASE_URL } from '../../core/harness/types';

const USAGE = `usage: gitops-dr secondary check   --agent ID --context C [--namespace N] [--dr-identifier D] [-o text|json]
       gitops-dr secondary install --agent ID --context C [--namespace N] [--dr-identifier D]
                                   [--manifest FILE] [--yes] [--show-manifest] [--ready-timeout S]
  --agent ID         the primary (or single) agent as context/namespace, or its agent identifier
  --context C        the kube context the secondary goes to (never made the current context)
  --namespace N      default: the primary's namespace (the seed requires the same one)
  --dr-identifier D  the secondary's disaster recovery identifier (default: the context name, _ for - and .)
  --manifest FILE    the install YAML downloaded from Harness (no API key needed)
  --yes              create/apply for real; without it: pre-checks, then a server-side dry run of --manifest
  --show-manifest    print the manifest (Secret values masked) before applying it
  --ready-timeout S  how long to wait for the agent and Argo CD to be ready (default 300)
  --harness-url U    Harness base URL (default $HARNESS_BASE_URL, else ${DEFAULT_HARNESS_BASE_URL})
  environment: HARNESS_API_KEY (creates the secondary in Harness and fetches its deploy.yaml)
  exit 0 ok (checks pass or warn; installed and ready), 1 a pre-check failed, 2 usage, 3 the install or the watch failed`;

const FLAGS = [
  ...KUBE_FLAGS,
  { name: 'agent', value: true },
  { name: 'dr-identifier', value: true },
  { name: 'manifest', value: true },
  { name: 'yes' },
  { name: 'show-manifest' },
  { name: 'ready-timeout', value: true },
  { name: 'harness-url', value: true },
  { name: 'output', short: 'o', value: true },
];

function requestOf(parsed: ParsedArgs): { primary: string; targetContext: string; namespace?: string; drIdentifier?: string } {
  if (parsed.positional.length) throw new UsageError(`unexpected argument "${parsed.positional[0]}"`);
  const primary = stringFlag(parsed, 'agent');
  if (!primary) throw new UsageError('--agent is required (the primary as context/namespace, or its agent identifier)');
  const targetContext = stringFlag(parsed, 'context');
  if (!targetContext) throw new UsageError('--context is required (the kube context of the secondary\'s cluster)');
  const namespace = stringFlag(parsed, 'namespace');
  const drIdentifier = stringFlag(parsed, 'dr-identifier');
  return { primary, targetContext, ...(namespace ? { namespace } : {}), ...(drIdentifier ? { drIdentifier } : {}) };
}

function readManifest(file: string, io: CliIO): { text: string; source: string } {
  const full = path.resolve(io.cwd, file);
  try {
    return { text: fs.readFileSync(full, 'utf8'), source: full };
  } catch (e) {
    throw new UsageError(`cannot read the manifest ${full}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

async function runChecks(parsed: ParsedArgs, io: CliIO, harness?: HarnessClient): Promise<{ report: SecondaryCheckReport; clientFor: (c: string) => ReturnType<ReturnType<typeof clientCache>['clientFor']>; close(): void } | number> {
  const request = requestOf(parsed);
  const kubeconfig = await kubeconfigFromFlags(parsed, io);
  if (!kubeconfig.contexts.some((c) => c.name === request.targetContext)) {
    throw new UsageError(`context "${request.targetContext}" is not in the kubeconfig; known: ${kubeconfig.contexts.map((c) => c.name).join(', ')}`);
  }
  const timeoutMs = timeoutMsFromFlags(parsed, 10);
  const cache = clientCache(kubeconfig, timeoutMs);
  try {
    const { report } = await discoverAndCheck(kubeconfig, request, cache.clientFor, { timeoutMs, ...(harness ? { harness } : {}) });
    return { report, clientFor: cache.clientFor, close: () => cache.closeAll() };
  } catch (e) {
    cache.closeAll();
    if (e instanceof SecondaryError) {
      io.stderr.write(`gitops-dr secondary: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

async function check(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, FLAGS.filter((f) => !['manifest', 'yes', 'show-manifest', 'ready-timeout'].includes(f.name)));
  const output = stringFlag(parsed, 'output') ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`-o must be text or json, got "${output}"`);
  const checked = await runChecks(parsed, io, harnessFromEnv(parsed, io));
  if (typeof checked === 'number') return checked;
  checked.close();
  io.stdout.write(output === 'json' ? JSON.stringify(checked.report, null, 2) + '\n' : formatSecondaryChecks(checked.report));
  return checked.report.ok ? EXIT.ok : EXIT.findings;
}

async function install(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, FLAGS.filter((f) => f.name !== 'output'));
  const yes = boolFlag(parsed, 'yes');
  const readyTimeoutMs = (numberFlag(parsed, 'ready-timeout') ?? 300) * 1000;
  const manifestFile = stringFlag(parsed, 'manifest');
  // A bad file stops before any cluster or Harness call.
  const manifest = manifestFile ? readManifest(manifestFile, io) : undefined;
  const harness = manifest ? undefined : harnessFromEnv(parsed, io);
  const checked = await runChecks(parsed, io, harness);
  if (typeof checked === 'number') return checked;
  const { report } = checked;
  try {
    io.stdout.write(formatSecondaryChecks(report));
    if (!report.ok) {
      io.stdout.write('Nothing was created or applied.\n');
      return EXIT.findings;
    }
    if (!manifest && !harness) {
      io.stdout.write(`\nNo HARNESS_API_KEY: create the secondary in the Harness UI, then apply the manifest it offers:\n${formatChecklist(secondaryChecklist(report))}`);
      return EXIT.ok;
    }
    const client = await checked.clientFor(report.target.context);
    let text: string;
    let source: string;
    if (manifest) {
      ({ text, source } = manifest);
    } else {
      const id = report.primary.identity;
      if (!yes) {
        io.stdout.write(`\nWith --yes: create DR node ${report.target.drIdentifier} (Secondary) of agent ${id.agent} in Harness, fetch its deploy.yaml for namespace ${report.target.namespace}, dry-run it on ${report.target.context}, apply it and wait until it is ready.\nNothing was changed.\n`);
        return EXIT.ok;
      }
      const node = await createSecondaryNode(harness!, id, report.primary.drIdentifier, report.target.drIdentifier, report.target.namespace);
      io.stdout.write(`Harness: ${node.created ? 'created' : 'reusing the existing'} secondary node ${report.target.drIdentifier} of agent ${id.agent}\n`);
      text = await harness!.getDeployYaml(id.agent, { ...scopeOf(id), namespace: report.target.namespace, drIdentifier: report.target.drIdentifier });
      source = `Harness deploy.yaml of ${id.agent} (DR node ${report.target.drIdentifier})`;
    }
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const result = await installManifest(
        { report, manifestText: text, manifestSource: source, client, readinessTimeoutMs: readyTimeoutMs, apply: yes, signal: abort.signal },
        {
          ...(boolFlag(parsed, 'show-manifest') ? { review: async (masked: string) => (io.stdout.write(`--- manifest (Secret values masked)\n${masked}--- end of manifest\n`), true) } : {}),
          onStep: (line) => io.stdout.write(`${line}\n`),
          onObject: (o) => io.stdout.write(`  ${formatApplied(o)}\n`),
          onProgress: (p) => io.stdout.write(`  ready ${p.ready}/${p.total}${p.ready < p.total ? `: waiting on ${p.workloads.filter((w) => !w.isReady).map((w) => w.name).join(', ')}` : ''}\n`),
        },
      );
      if (result.status === 'dryRun') io.stdout.write('Dry run passed; nothing but a missing namespace was written. Run again with --yes to apply.\n');
      else io.stdout.write(`Secondary ${report.target.drIdentifier} of agent ${report.primary.identity.agent} is installed on ${report.target.context}/${report.target.namespace} and ready.\nNext: restore the primary's backup into it (it stays fenced): gitops-dr restore --context ${report.target.context} -n ${report.target.namespace} <backup file>\n`);
      return EXIT.ok;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  } catch (e) {
    if (e instanceof ApplyError || e instanceof ReadinessTimeout || e instanceof SecondaryError || e instanceof HarnessError || e instanceof KubeError) {
      io.stderr.write(`gitops-dr secondary install: ${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  } finally {
    checked.close();
  }
}

export const secondaryCommand: CliCommand = {
  summary: 'add a secondary DR agent: pre-checks on the target, create, install, watch until ready',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'check') return check(rest, io);
    if (sub === 'install') return install(rest, io);
    throw new UsageError(sub ? `unknown subcommand "${sub}": use check or install` : 'a subcommand is required: check or install');
  },
};
