// gitops-dr failover: make another member of a DR pair the primary. Without --yes it prints the pre-flight and
// the steps and changes nothing; with --yes it runs the steps in order and stops at the first failure.
import { boolFlag, parseArgs, stringFlag, UsageError } from '../args';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { KUBE_FLAGS, kubeconfigFromFlags, timeoutMsFromFlags } from '../kubeFlags';
import { discoverAll } from '../../core/agents/discover';
import { KubeClient } from '../../core/kube/client';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import { HarnessClient } from '../../core/harness/client';
import { HarnessError } from '../../core/harness/errors';
import { DEFAULT_HARNESS_BASE_URL } from '../../core/harness/types';
import { executeFailover, prepareFailover } from '../../core/failover/failover';
import { formatPreflight, formatReport, formatStepPlan, formatStepResult } from '../../core/failover/format';
import { FailoverError, type StepId } from '../../core/failover/model';
import type { FailoverPorts, RestorePort } from '../../core/failover/ports';
import { backupRestorePort, harnessPort, kubeApplicationsPort, kubeProbePort, kubeSyncWindowsPort, liveRestorePort, type ClientFor } from '../../core/failover/realPorts';
import type { FailoverRequest } from '../../core/failover/resolve';
import { readBackupFile } from '../../core/failover/backupSource';

const STEP_IDS: readonly StepId[] = ['block-old', 'restore', 'switch-primary', 'allow-new', 'verify'];

const USAGE = `usage: gitops-dr failover --agent ID --to DR_ID [--from DR_ID] [--yes] [--from-step STEP] [--backup FILE]
                         [--harness-url U] [--kubeconfig P]... [--timeout S] [-o text|json]
  --agent ID      the Harness agent identifier the pair shares, or a member as context/namespace (then --to is optional)
  --to DR_ID      the disaster recovery identifier of the member to make primary ("fail back" = the other one)
  --from DR_ID    the current primary, when neither Harness nor the pair can tell
  --yes           run the steps; without it the pre-flight and the steps are printed and nothing changes
  --from-step S   continue a stopped or failed run at step S (${STEP_IDS.join(', ')})
  --backup FILE   the backup to restore when the current primary is unreachable (default: a live export of it)
  --harness-url U Harness base URL (default $HARNESS_BASE_URL, else ${DEFAULT_HARNESS_BASE_URL})
  environment: HARNESS_API_KEY (roles are read and the primary node switched through the Harness API; without it
               the switch is a manual step), HARNESS_ACCOUNT_ID (when the agent's ConfigMap names no account)
  exit 0 done (or nothing run without --yes), 1 pre-flight failed, 2 usage, 3 a step failed`;

export function clientCache(kubeconfig: MergedKubeconfig, timeoutMs: number): { clientFor: ClientFor; closeAll(): void } {
  const clients = new Map<string, Promise<KubeClient>>();
  return {
    clientFor(context) {
      let c = clients.get(context);
      if (!c) {
        c = KubeClient.forContext(kubeconfig, context, { timeoutMs });
        clients.set(context, c);
      }
      return c;
    },
    closeAll() {
      for (const c of clients.values()) c.then((k) => k.close(), () => undefined);
    },
  };
}

export function harnessFromEnv(parsed: ReturnType<typeof parseArgs>, io: CliIO): HarnessClient | undefined {
  const key = io.env.HARNESS_API_KEY?.trim();
  if (!key) return undefined;
  try {
    return new HarnessClient({
      baseUrl: stringFlag(parsed, 'harness-url') ?? io.env.HARNESS_BASE_URL ?? DEFAULT_HARNESS_BASE_URL,
      apiKey: key,
      ...(io.env.HARNESS_ACCOUNT_ID ? { account: io.env.HARNESS_ACCOUNT_ID } : {}),
    });
  } catch (e) {
    if (e instanceof HarnessError) throw new UsageError(e.message);
    throw e;
  }
}

export const failoverCommand: CliCommand = {
  summary: 'fail over a DR pair to another member (pre-flight, then guarded steps)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, [
      ...KUBE_FLAGS,
      { name: 'agent', value: true },
      { name: 'to', value: true },
      { name: 'from', value: true },
      { name: 'yes' },
      { name: 'from-step', value: true },
      { name: 'backup', value: true },
      { name: 'harness-url', value: true },
      { name: 'output', short: 'o', value: true },
    ]);
    if (parsed.positional.length) throw new UsageError(`unexpected argument "${parsed.positional[0]}"`);
    const agentArg = stringFlag(parsed, 'agent');
    if (!agentArg) throw new UsageError('--agent is required (the Harness agent identifier, or context/namespace of a member)');
    const to = stringFlag(parsed, 'to');
    const from = stringFlag(parsed, 'from');
    const request: FailoverRequest = agentArg.includes('/') ? { member: agentArg, ...(to ? { to } : {}), ...(from ? { from } : {}) } : { agent: agentArg, ...(to ? { to } : {}), ...(from ? { from } : {}) };
    if (!request.member && !to) throw new UsageError('--to is required: the DR identifier of the member to make primary');
    const startAt = stringFlag(parsed, 'from-step') as StepId | undefined;
    if (startAt && !STEP_IDS.includes(startAt)) throw new UsageError(`--from-step must be one of ${STEP_IDS.join(', ')}, got "${startAt}"`);
    const output = stringFlag(parsed, 'output') ?? 'text';
    if (output !== 'text' && output !== 'json') throw new UsageError(`-o must be text or json, got "${output}"`);
    const yes = boolFlag(parsed, 'yes');
    const backupPath = stringFlag(parsed, 'backup');
    // Read the backup before touching any cluster: a bad file stops here, with its position.
    let backup: ReturnType<typeof readBackupFile> | undefined;
    try {
      backup = backupPath ? readBackupFile(backupPath, io.cwd) : undefined;
    } catch (e) {
      if (!(e instanceof FailoverError)) throw e;
      io.stderr.write(`gitops-dr failover: ${e.message}\n`);
      return EXIT.usage;
    }
    const harness = harnessFromEnv(parsed, io);
    if (!harness) io.stderr.write('note: HARNESS_API_KEY is not set: roles are unknown and the switch of the primary node will be a manual step\n');

    const kubeconfig = await kubeconfigFromFlags(parsed, io);
    const timeoutMs = timeoutMsFromFlags(parsed, 10);
    const cache = clientCache(kubeconfig, timeoutMs);
    try {
      const snapshot = await discoverAll(kubeconfig, { timeoutMs, clientFor: cache.clientFor });
      const harnessP = harness ? harnessPort(harness) : undefined;
      let prepared;
      try {
        prepared = await prepareFailover(
          snapshot,
          request,
          (resolved): FailoverPorts => {
            const fromReachable = resolved.from && snapshot.contexts.find((c) => c.name === resolved.from!.context)?.state === 'reachable';
            let restore: RestorePort | undefined;
            if (backup) restore = backupRestorePort(cache.clientFor, backup.parsed, backup.label);
            else if (resolved.from && fromReachable) restore = liveRestorePort(cache.clientFor, resolved.from);
            return { ...(harnessP ? { harness: harnessP } : {}), syncWindows: kubeSyncWindowsPort(cache.clientFor), probe: kubeProbePort(cache.clientFor), applications: kubeApplicationsPort(cache.clientFor), ...(restore ? { restore } : {}) };
          },
          harnessP ? { harness: harnessP } : {},
        );
      } catch (e) {
        if (e instanceof FailoverError) {
          io.stderr.write(`gitops-dr failover: ${e.message}\n`);
          return EXIT.usage;
        }
        throw e;
      }
      const report = prepared.preflight.report;
      if (!yes) {
        if (output === 'json') io.stdout.write(JSON.stringify({ preflight: report, steps: prepared.steps.map((s) => ({ id: s.id, title: s.title, description: s.description, undoHint: s.undoHint })), changed: false }, null, 2) + '\n');
        else io.stdout.write(`${formatPreflight(report)}\n\n${formatStepPlan(prepared.steps)}\n\nNothing was changed. ${report.ok ? 'Run again with --yes to run these steps.' : 'Fix the failed checks first.'}\n`);
        return report.ok ? EXIT.ok : EXIT.findings;
      }
      if (output === 'text') io.stdout.write(`${formatPreflight(report)}\n\n`);
      const rerun = `gitops-dr failover --agent ${agentArg}${to ? ` --to ${to}` : ''}${from ? ` --from ${from}` : ''}${backupPath ? ` --backup ${backupPath}` : ''} --yes`;
      const result = await executeFailover(prepared, {
        ...(startAt ? { startAt } : {}),
        howToContinue: (id) => `run: ${rerun} --from-step ${id}`,
        onEvent: (e) => {
          if (output !== 'text') return;
          if (e.kind === 'start') io.stdout.write(`${e.index + 1}/${e.total} ${e.step.title}...\n`);
          else io.stdout.write(`${formatStepResult(e.result)}\n`);
        },
      });
      if (output === 'json') io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else io.stdout.write(`\n${formatReport(result)}\n`);
      if (result.outcome === 'refused') return EXIT.findings;
      return result.outcome === 'failed' || result.outcome === 'stopped' ? EXIT.failed : EXIT.ok;
    } finally {
      cache.closeAll();
    }
  },
};
