// "Restore backup": read and check the file (reader, linter for this target, restore checks), plan against the
// target, show the plan, ask (a modal naming the cluster, the namespace and the counts), apply with cancellable
// progress, then show the result in an editor tab and the log. Returns what it did, for tests and other features.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyRestore } from '../../core/restore/apply';
import { formatCounts, formatResultCounts } from '../../core/restore/format';
import { planBackupRestore } from '../../core/restore/gate';
import { createNamespaces } from '../../core/restore/namespaces';
import type { RestoreOptions } from '../../core/restore/options';
import { planReport, type PlanReport } from '../../core/restore/report';
import type { RestorePlan, RestoreResult } from '../../core/restore/types';
import { RestoreRefusedError, formatProblem, type InputProblem } from '../../core/restore/input';
import { describeError, isKubeError } from '../../core/kube/errors';
import type { KubeClient } from '../../core/kube/client';
import type { ExtensionServices } from '../services';
import type { PlanStore } from './planStore';
import { PLAN_VIEW, blockingErrors, changesOf } from './planView';
import type { BackupDocuments } from '../backup/backupDocuments';
import { pickTarget, readBackupInput, targetItems, targetOf, uriArg, type Target } from './targets';
import type { TargetPickItem } from './targetPickItems';
import { backupOrigin, pickRestoreSource, restoreSources, sourceLabel, type RestoreSource } from './restoreSource';
import { rememberBackupFile } from '../backup/recentBackups';
import { loadNewestStored, storedTargetOf } from './storedSource';
import { refreshTouched } from '../tree/refreshTouched';
import { signalOf } from '../lifecycle';

export interface RestoreArgs {
  uri?: vscode.Uri | string;
  context?: string;
  namespace?: string;
  /** true: apply (after the modal unless confirm is false); false: plan only. */
  apply?: boolean;
  /** false: no modal, no quick picks (tests, automation). */
  confirm?: boolean;
  dryRun?: boolean;
  prune?: boolean;
  allowFinalizerStrip?: boolean;
  /** Create the missing application namespaces before applying. */
  createNamespaces?: boolean;
  /** The newest stored backup of the target agent (the other member's first) instead of a file. */
  fromStore?: boolean;
  concurrency?: number;
  options?: Partial<Omit<RestoreOptions, 'namespace'>>;
}

export interface RestoreCommandResult {
  planId?: string;
  /** The plan without objects (refs, actions, reasons, redacted diffs). */
  plan?: PlanReport;
  result?: RestoreResult;
  /** Why the input was refused (`line:col: message`); nothing was planned or written. */
  refused?: string[];
  /** No backup was named and no one can be asked: what a person would have been offered. Nothing was planned. */
  sourceRequired?: RestoreSource[];
  /** A source was named but no target and no one can be asked: the targets a person would have been offered. */
  targetRequired?: TargetPickItem[];
  /** Shown to the user already: what went wrong (interactive runs only; automation gets the error). */
  failed?: string;
  cancelled?: boolean;
}

interface ChosenOptions {
  options: RestoreOptions;
  prune: boolean;
  allowFinalizerStrip: boolean;
  createNamespaces?: boolean;
}

/** The DR-safety choices of a restore (the fence, application namespaces), off by default; reusable by other views. */
function safeRestoreItems(preset: RestoreArgs): Array<vscode.QuickPickItem & { key: string }> {
  return [
    { key: 'dropTargetFence', label: "Drop the target's fence", description: 'restore the backup\'s sync windows in place of the deny windows that keep the target from syncing', picked: preset.options?.dropTargetFence ?? false },
    { key: 'createNamespaces', label: 'Create namespaces', description: 'create the missing application namespaces the backup needs (enabled ones only)', picked: preset.createNamespaces ?? false },
  ];
}

/** The restore options as a multi-select, defaults ticked (stop operation on, everything else off). */
async function pickOptions(namespace: string, preset: RestoreArgs): Promise<ChosenOptions | undefined> {
  const items: Array<vscode.QuickPickItem & { key: string }> = [
    { key: 'stopOperation', label: 'Stop operation', description: 'clear in-flight Application operations so the restored side starts no sync', picked: preset.options?.stopOperation ?? true },
    { key: 'prune', label: 'Prune', description: 'delete Argo CD objects the backup does not hold (never ConfigMaps; listed before anything is deleted)', picked: preset.prune ?? false },
    { key: 'allowFinalizerStrip', label: 'Strip finalizers when pruning', description: 'remove Application finalizers before deleting (skips Argo CD\'s cascade)', picked: preset.allowFinalizerStrip ?? false },
    { key: 'ignoreTracking', label: 'Ignore tracking', description: 'keep the live tracking-id annotation and instance label', picked: preset.options?.ignoreTracking ?? false },
    { key: 'overrideOnConflict', label: 'Override on conflict', description: 'after a 409, update over changes made since the plan', picked: preset.options?.overrideOnConflict ?? false },
    ...safeRestoreItems(preset),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Restore options', canPickMany: true, placeHolder: 'Enter to plan the restore (nothing is written yet)' });
  if (!picked) return undefined;
  const on = new Set(picked.map((p) => p.key));
  return {
    options: { ...preset.options, namespace, stopOperation: on.has('stopOperation'), ignoreTracking: on.has('ignoreTracking'), overrideOnConflict: on.has('overrideOnConflict'), ...(on.has('dropTargetFence') ? { dropTargetFence: true } : {}) },
    prune: on.has('prune'),
    allowFinalizerStrip: on.has('allowFinalizerStrip'),
    createNamespaces: on.has('createNamespaces'),
  };
}

/** Reads, checks and plans; throws RestoreRefusedError with every problem when the input cannot be restored. */
export async function planFromFile(client: KubeClient, uri: vscode.Uri, options: RestoreOptions, signal: AbortSignal, held?: BackupDocuments): Promise<RestorePlan> {
  const input = await readBackupInput(uri, held);
  return (await planBackupRestore(client, input, options, { signal, sourceLabel: uri.scheme === 'file' ? uri.fsPath : uri.toString() })).plan;
}

export async function showRefusal(services: ExtensionServices, what: string, file: string, problems: InputProblem[], interactive: boolean): Promise<string[]> {
  const lines = problems.map((p) => formatProblem(p, file));
  services.log.error(`${what} refused: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}; nothing was written`);
  for (const l of lines) services.log.error(`  ${l}`);
  if (interactive) {
    const shown = lines.slice(0, 15).map((l) => l.replace(`${file}:`, 'line '));
    if (lines.length > 15) shown.push(`… and ${lines.length - 15} more (see the GitOps DR log)`);
    void vscode.window.showErrorMessage(`${what} refused: ${path.basename(file)} has ${problems.length} error${problems.length === 1 ? '' : 's'}. Nothing was written.`, { modal: true, detail: shown.join('\n') });
  }
  return lines;
}

export async function restoreBackupCommand(services: ExtensionServices, store: PlanStore, arg?: unknown): Promise<RestoreCommandResult> {
  const args: RestoreArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as RestoreArgs) : {};
  const interactive = args.confirm !== false;
  // The source is always named: given, or chosen by the user (never the active editor taken silently).
  const given = uriArg(arg);
  const aimed = targetOf(arg);
  const stored = aimed.context ? storedTargetOf(services, aimed.context, aimed.namespace) : undefined;
  if (args.fromStore && !given && !stored) throw new Error(services.storedBackups?.location() ? `name an agent of the DR Agents view as the target ({ context, namespace }): the store keeps backups by agent` : 'no backup location configured (setting gitopsDr.backupLocation)');
  if (!given && !args.fromStore && !interactive) return { sourceRequired: restoreSources(services) };
  const uri = given ?? (args.fromStore && stored ? (await loadNewestStored(services, stored)).uri : await pickRestoreSource(services, `Restore which backup${aimed.context ? ` into ${aimed.context}${aimed.namespace ? `/${aimed.namespace}` : ''}` : ''}?`, stored));
  if (!uri) return { cancelled: true };
  const source = sourceLabel(uri, services);
  const partial = targetOf(arg);
  const origin = backupOrigin(uri, services);
  // Without a context and no one to ask: what the picker would offer (the source last), and nothing planned.
  if (!partial.context && !interactive) return { targetRequired: await targetItems(services, origin) };
  const target: Target | undefined =
    partial.context && partial.namespace ? (partial as Target) : interactive ? await pickTarget(services, partial, `Restore ${source} into…`, origin) : undefined;
  if (!target) {
    if (!interactive) throw new Error('name the target: { context, namespace }');
    return { cancelled: true };
  }
  const chosen: ChosenOptions | undefined = interactive
    ? await pickOptions(target.namespace, args)
    : { options: { ...args.options, namespace: target.namespace }, prune: args.prune ?? false, allowFinalizerStrip: args.allowFinalizerStrip ?? false, createNamespaces: args.createNamespaces ?? false };
  if (!chosen) return { cancelled: true };

  const file = uri.scheme === 'file' ? uri.fsPath : uri.toString();
  services.log.info(`restore: planning ${file} -> ${target.context}/${target.namespace}`);
  let plan: RestorePlan;
  let client: KubeClient;
  try {
    const known = services.agents?.model.snapshot.contexts.find((c) => c.name === target.context);
    if (known?.state === 'unreachable') throw new Error(`context ${target.context} is unreachable (${known.reason ?? 'no answer'}); fix the connection, then run "Retry" on it in the DR Agents view`);
    client = await services.kube.client(target.context);
    plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GitOps DR: planning the restore into ${target.context}/${target.namespace}`, cancellable: true },
      (_p, token) => {
        const signal = signalOf(token);
        return planFromFile(client, uri, chosen.options, signal, services.backups);
      },
    );
  } catch (e) {
    if (e instanceof RestoreRefusedError) return { refused: await showRefusal(services, 'Restore', file, e.problems, interactive) };
    if (isKubeError(e, 'cancelled')) return { cancelled: true };
    services.log.error(`restore: planning failed: ${describeError(e)}`);
    if (!interactive) throw e;
    void vscode.window.showErrorMessage(`GitOps DR: could not plan the restore of ${source} into ${target.context}/${target.namespace}: ${describeError(e)}. Nothing was written.`, 'Show Log').then((a) => a && services.log.show());
    return { failed: describeError(e) };
  }
  const planId = store.add(plan, `Restore plan ${target.context}-${target.namespace}`, source, {
    prune: chosen.prune,
    allowFinalizerStrip: chosen.allowFinalizerStrip,
    createNamespaces: chosen.createNamespaces,
    replan: () => planFromFile(client, uri, chosen.options, new AbortController().signal, services.backups),
  });
  services.log.info(`restore: plan ${planId}: ${formatCounts(plan)} (${plan.durationMs} ms)`);
  for (const w of plan.warnings) services.log.warn(`restore: ${w}`);
  if (!interactive) await vscode.window.showTextDocument(store.planUri(planId), { preview: false });

  let mode: 'apply' | 'dryRun' | undefined;
  if (interactive) {
    // People review the plan in its view, and apply or dry-run from the view's title (no modal over the diffs).
    await vscode.commands.executeCommand(`${PLAN_VIEW}.focus`);
    const what = blockingErrors(store.get(planId)!) ? `the plan has errors: fix them and plan again` : changesOf(store.get(planId)!) === 0 ? 'nothing to change' : 'review it, then Dry Run or Apply from the view\'s title';
    void vscode.window.showInformationMessage(`GitOps DR: restore plan for ${target.context}/${target.namespace} from ${source}: ${formatCounts(plan)}; ${what}.`);
    return { planId, plan: planReport(plan) };
  } else if (args.apply === true) mode = args.dryRun ? 'dryRun' : 'apply';
  if (!mode) return { planId, plan: planReport(plan) };
  if (mode === 'apply' && chosen.createNamespaces && plan.missingNamespaces?.length) plan = await createNamespacesAndReplan(services, client, uri, chosen.options, plan);

  const result = await applyWithProgress(services, client, plan, { dryRun: mode === 'dryRun', prune: chosen.prune, allowFinalizerStrip: chosen.allowFinalizerStrip, ...(args.concurrency ? { concurrency: args.concurrency } : {}) });
  store.setResult(planId, result);
  await vscode.window.showTextDocument(store.resultUri(planId), { preview: false });
  if (uri.scheme === 'file') await rememberBackupFile(services, uri.fsPath);
  if (mode === 'apply') await refreshTouched(services, [target.context]);
  return { planId, plan: planReport(plan), result };
}

export async function applyWithProgress(
  services: ExtensionServices,
  client: KubeClient,
  plan: RestorePlan,
  opts: { dryRun: boolean; prune: boolean; allowFinalizerStrip: boolean; concurrency?: number },
): Promise<RestoreResult> {
  const where = `${plan.target.context}/${plan.target.namespace}`;
  services.log.info(`restore: ${opts.dryRun ? 'dry run' : 'applying'} into ${where} (prune ${opts.prune ? 'on' : 'off'})`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `GitOps DR: ${opts.dryRun ? 'dry run of the restore' : 'restoring'} into ${where}`, cancellable: true },
    (progress, token) => {
      const signal = signalOf(token);
      let shown = 0;
      return applyRestore(client, plan, {
        ...opts,
        signal,
        onProgress: ({ done, total }) => {
          const pct = Math.floor((done / total) * 100);
          if (pct > shown) {
            progress.report({ increment: pct - shown, message: `${done}/${total}` });
            shown = pct;
          }
        },
      });
    },
  );
  for (const r of result.results) (r.outcome === 'failed' ? services.log.error : services.log.info)(r.line);
  if (result.pruneWithheld) services.log.warn(`restore: nothing pruned: ${result.pruneWithheld}`);
  const summary = `Restore ${opts.dryRun ? 'dry run ' : ''}into ${where}: ${formatResultCounts(result)}`;
  services.log.info(summary);
  if (result.counts.failed > 0) void vscode.window.showErrorMessage(`GitOps DR: ${summary}`);
  else void vscode.window.showInformationMessage(`GitOps DR: ${summary}`);
  return result;
}


/** The "create namespaces" choice: the core function, then the plan again (the objects there are no errors any more). */
async function createNamespacesAndReplan(services: ExtensionServices, client: KubeClient, uri: vscode.Uri, options: RestoreOptions, plan: RestorePlan): Promise<RestorePlan> {
  const created = await createNamespaces(client, plan.missingNamespaces ?? [], 'restore');
  services.log.info(`restore: created namespace${created.length === 1 ? '' : 's'} ${created.join(', ')} on ${plan.target.context}`);
  return planFromFile(client, uri, options, new AbortController().signal, services.backups);
}
