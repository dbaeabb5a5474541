// "Fail over to this agent" (and, on the other member, "fail back"): pre-flight first, then each step shown and
// confirmed, every outcome in the log channel. Returns the report, so tests (and other features) can read it.
import * as vscode from 'vscode';
import type { DiscoveredAgent } from '../../core/agents/model';
import { executeFailover, prepareFailover, type PreparedFailover } from '../../core/failover/failover';
import { formatPreflight, formatReport, formatStepPlan, formatStepResult } from '../../core/failover/format';
import type { FailoverReport, StepId } from '../../core/failover/model';
import type { FailoverPorts, RestorePort } from '../../core/failover/ports';
import { backupRestorePort, harnessPort, kubeApplicationsPort, kubeProbePort, kubeSyncWindowsPort, liveRestorePort, type ClientFor } from '../../core/failover/realPorts';
import { readBackupFile } from '../../core/failover/backupSource';
import type { ExtensionServices } from '../services';
import { harnessClient, type HarnessRoles } from './harnessAccess';
import { currentSnapshot, pickAgent, type AgentArg } from './pickMember';
import { FailoverView, type FailoverViewState } from './failoverView';
import { refreshTouched } from '../tree/refreshTouched';
import { signalOf } from '../lifecycle';

export type FailoverArgs = AgentArg & {
  /** Run every step without asking (tests, automation). */
  yes?: boolean;
  confirm?: boolean;
  /** The backup to restore when the current primary is unreachable. */
  backupFile?: string;
  /** The current primary's DR identifier, when neither Harness nor the pair can tell. */
  from?: string;
  /** Continue a stopped or failed run at this step. */
  startAt?: StepId;
  /** Only the pre-flight and the steps: nothing is changed. */
  dryRun?: boolean;
  /** Open the failover view even when not interactive (tests drive it with gitopsDr.failoverView.act). */
  view?: boolean;
};

/** The failover view open now, if any (one at a time). */
export let currentFailoverView: FailoverView | undefined;

export type FailoverCommandResult = FailoverReport | { view: FailoverViewState } | { preflightOnly: true; report: PreparedFailover['preflight']['report']; steps: Array<{ id: StepId; title: string; description: string }> } | undefined;

export async function failoverCommand(services: ExtensionServices, roles: HarnessRoles, arg?: FailoverArgs): Promise<FailoverCommandResult> {
  const { log } = services;
  const interactive = !(arg?.yes === true || arg?.confirm === false);
  const snapshot = await currentSnapshot(services);
  const target = await pickAgent(snapshot, arg, {
    title: 'Fail over to which agent?',
    filter: (a: DiscoveredAgent) => Boolean(a.drIdentifier) && snapshot.groups.some((g) => g.members.includes(a)),
    interactive,
  });
  if (!target) return undefined;
  const clientFor: ClientFor = (c) => services.kube.client(c);
  const client = await harnessClient(services);
  const harness = client ? harnessPort(client) : undefined;
  let backupFile = arg?.backupFile;

  log.info(`failover: preparing ${target.id} (${target.identity.agent} / ${target.drIdentifier ?? 'no DR identifier'}) ${harness ? 'with' : 'without'} a Harness API key`);
  const prepared = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `GitOps DR: pre-flight for ${target.id}`, cancellable: true },
    async (_progress, token) => {
      const signal = signalOf(token);
      return prepareFailover(
        snapshot,
        { member: target.id, ...(arg?.from ? { from: arg.from } : {}) },
        async (resolved): Promise<FailoverPorts> => {
          const fromReachable = resolved.from && snapshot.contexts.find((c) => c.name === resolved.from!.context)?.state === 'reachable';
          let restore: RestorePort | undefined;
          if (!backupFile && !(resolved.from && fromReachable) && interactive) {
            const picked = await vscode.window.showOpenDialog({ title: `The current primary cannot be exported: choose the latest backup of ${resolved.identity.agent}`, canSelectMany: false, filters: { 'Argo CD backup': ['yaml', 'yml', 'json'] } });
            backupFile = picked?.[0]?.fsPath;
          }
          if (backupFile) {
            const file = readBackupFile(backupFile, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd());
            restore = backupRestorePort(clientFor, file.parsed, file.label);
          } else if (resolved.from && fromReachable) restore = liveRestorePort(clientFor, resolved.from);
          return { ...(harness ? { harness } : {}), syncWindows: kubeSyncWindowsPort(clientFor), probe: kubeProbePort(clientFor), applications: kubeApplicationsPort(clientFor), ...(restore ? { restore } : {}) };
        },
        { signal, ...(harness ? { harness } : {}) },
      );
    },
  );
  const report = prepared.preflight.report;
  const preflightText = formatPreflight(report);
  const planText = formatStepPlan(prepared.steps);
  for (const line of `${preflightText}\n${planText}`.split('\n')) log.info(`failover: ${line}`);

  if (interactive || arg?.view) {
    currentFailoverView?.dispose();
    const view = new FailoverView(prepared, {
      title: `Fail over ${report.agent} to ${target.drIdentifier ?? target.id} (${target.id})`,
      confirmStart: async () =>
        !interactive ||
        (await vscode.window.showWarningMessage(`Start the failover of ${report.agent} to ${target.id}?`, { modal: true, detail: 'Step 1 blocks syncs on the current primary. Each further step waits for its button in the failover view.' }, 'Start')) === 'Start',
      howToContinue: (id) => `use "Resume from here" on step "${id}" in the failover view (CLI: gitops-dr failover --agent ${target.id} --yes --from-step ${id})`,
      onEvent: (e) => {
        if (e.kind === 'start') log.info(`failover: step ${e.index + 1}/${e.total} ${e.step.title}`);
        else for (const line of formatStepResult(e.result).split('\n')) (e.result.status === 'failed' ? log.error : e.result.status === 'ok' ? log.info : log.warn)(`failover: ${line.trim()}`);
      },
    });
    currentFailoverView = view;
    view.onDidFinish((r) => {
      log.info(`failover: outcome ${r.outcome}`);
      for (const n of r.next) log.info(`failover: ${n}`);
      void refreshTouched(services, [target.context, ...(report.from ? [report.from.context] : [])]).then(() => roles.refresh());
    });
    if (!report.ok) log.error('failover: the pre-flight failed; nothing was changed');
    return { view: view.state };
  }
  if (arg?.dryRun) return { preflightOnly: true, report, steps: prepared.steps.map((s) => ({ id: s.id, title: s.title, description: s.description })) };
  if (!report.ok) {
    log.error(`failover: the pre-flight failed; nothing was changed`);
    if (interactive) void vscode.window.showErrorMessage(`GitOps DR: the pre-flight for ${target.id} failed; nothing was changed.`, { modal: true, detail: preflightText });
    return executeFailover(prepared);
  }
  if (interactive) {
    const start = await vscode.window.showWarningMessage(
      `Fail over agent ${report.agent} to ${target.drIdentifier} (${target.id})?`,
      { modal: true, detail: `${preflightText}\n\n${planText}\n\nEach step is shown and confirmed before it runs.` },
      'Start',
    );
    if (start !== 'Start') {
      log.info('failover: not started');
      return undefined;
    }
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `GitOps DR: failover to ${target.id}`, cancellable: true },
    async (progress, token) => {
      const signal = signalOf(token);
      return executeFailover(prepared, {
        signal,
        ...(arg?.startAt ? { startAt: arg.startAt } : {}),
        howToContinue: (id) => `run "Fail over to this agent" on ${target.id} again and start at step "${id}" (command argument { startAt: "${id}" }; CLI: gitops-dr failover --agent ${target.id} --yes --from-step ${id})`,
        ...(interactive
          ? {
              confirm: async (step, i, total) => {
                const answer = await vscode.window.showWarningMessage(`Step ${i + 1}/${total}: ${step.title}`, { modal: true, detail: `${step.description}\n\nUndo: ${step.undoHint}` }, 'Run', 'Skip');
                return answer === 'Run' ? 'run' : answer === 'Skip' ? 'skip' : 'stop';
              },
            }
          : {}),
        onEvent: (e) => {
          if (e.kind === 'start') {
            progress.report({ message: `${e.index + 1}/${e.total} ${e.step.title}` });
            log.info(`failover: step ${e.index + 1}/${e.total} ${e.step.title}`);
          } else {
            const text = formatStepResult(e.result);
            for (const line of text.split('\n')) (e.result.status === 'failed' ? log.error : e.result.status === 'ok' ? log.info : log.warn)(`failover: ${line.trim()}`);
          }
        },
      });
    },
  );
  for (const line of formatReport(result).split('\n').slice(result.steps.length)) log.info(`failover: ${line.trim()}`);

  // The tree shows the new state: roles from Harness, entities from the clusters it touched.
  await refreshTouched(services, [target.context, ...(report.from ? [report.from.context] : [])]);
  void roles.refresh();
  const headline: Record<FailoverReport['outcome'], string> = {
    completed: `GitOps DR: ${target.drIdentifier} is now the primary of ${report.agent}.`,
    completedWithManualStep: `GitOps DR: cluster side done; switch the primary to ${target.drIdentifier} in Harness by hand (see the log).`,
    failed: `GitOps DR: the failover stopped at a failed step; the log says how to continue or undo.`,
    stopped: `GitOps DR: the failover was stopped; the log says how to continue or undo.`,
    refused: `GitOps DR: the pre-flight failed; nothing was changed.`,
  };
  const show = result.outcome === 'completed' ? vscode.window.showInformationMessage : result.outcome === 'completedWithManualStep' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  // Not awaited: a toast blocks until dismissed.
  void show(headline[result.outcome], 'Show Log').then((a) => a && log.show());
  return result;
}
