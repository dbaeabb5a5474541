// "Compare with live": a backup file, or the live primary of a DR pair, planned against a live namespace (the
// secondary) without applying. The plan document is the drift view; updates open as diffs.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareWithLive } from '../../core/compare/compare';
import { formatCounts } from '../../core/restore/format';
import { RestoreRefusedError } from '../../core/restore/input';
import { planReport } from '../../core/restore/report';
import type { RestorePlan } from '../../core/restore/types';
import { describeError } from '../../core/kube/errors';
import type { ExtensionServices } from '../services';
import type { PlanStore } from './planStore';
import { planFromFile, showRefusal, type RestoreCommandResult } from './restoreCommand';
import { pickTarget, targetOf, uriArg, type Target } from './targets';
import { signalOf } from '../lifecycle';
import { backupOrigin } from './restoreSource';

export interface CompareArgs {
  uri?: vscode.Uri | string;
  /** A live source: the primary's context and namespace. */
  sourceContext?: string;
  sourceNamespace?: string;
  context?: string;
  namespace?: string;
  confirm?: boolean;
}

interface MemberLike {
  context: string;
  namespace: string;
}

/**
 * From a tree member of a DR pair: the other member is the other side. The primary (Harness's role when the tree
 * knows it, else the member the tree lists first: the one holding the entities) is the source.
 */
function pairOf(arg: unknown): { source: MemberLike; target: MemberLike } | undefined {
  const node = arg as { agent?: MemberLike; group?: { members?: MemberLike[] }; contextValue?: string } | undefined;
  const members = node?.group?.members;
  if (!node?.agent || !members || members.length !== 2) return undefined;
  const self = node.agent;
  const other = members.find((m) => m.context !== self.context || m.namespace !== self.namespace);
  if (!other) return undefined;
  const selfIsPrimary = node.contextValue === 'agent.member.primary' || (node.contextValue !== 'agent.member.secondary' && members[0] === self);
  return selfIsPrimary ? { source: self, target: other } : { source: other, target: self };
}

export async function compareWithLiveCommand(services: ExtensionServices, store: PlanStore, arg?: unknown): Promise<RestoreCommandResult> {
  const args: CompareArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as CompareArgs) : {};
  const interactive = args.confirm !== false;
  const pair = pairOf(arg);
  let uri = uriArg(arg);
  let source: MemberLike | undefined = pair?.source ?? (args.sourceContext ? { context: args.sourceContext, namespace: args.sourceNamespace ?? args.namespace ?? '' } : undefined);
  let partial: Partial<Target> = pair ? pair.target : targetOf(arg);

  if (!uri && !source) {
    if (!interactive) throw new Error('name the source: { uri } or { sourceContext, sourceNamespace }');
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'Backup file…', id: 'file' },
        { label: 'Live namespace (the primary)…', id: 'live' },
      ],
      { title: 'Compare what with the live namespace?' },
    );
    if (!kind) return { cancelled: true };
    if (kind.id === 'file') {
      const active = vscode.window.activeTextEditor?.document;
      uri = active && ['yaml', 'json'].includes(active.languageId) ? active.uri : (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Argo CD backup': ['yaml', 'yml', 'json'] } }))?.[0];
      if (!uri) return { cancelled: true };
    } else {
      source = await pickTarget(services, {}, 'Source (e.g. the primary)');
      if (!source) return { cancelled: true };
    }
  }
  if (source && !source.namespace) source = { ...source, namespace: partial.namespace ?? '' };
  if (!partial.context || !partial.namespace) {
    if (!interactive) throw new Error('name the target: { context, namespace }');
    const picked = await pickTarget(services, { ...partial, ...(source && !partial.namespace ? { namespace: source.namespace } : {}) }, 'Compare with which live namespace (e.g. the secondary)?', source ?? (uri ? backupOrigin(uri, services) : undefined));
    if (!picked) return { cancelled: true };
    partial = picked;
  }
  const target = partial as Target;
  const client = await services.kube.client(target.context);
  const sourceLabel = uri ? (uri.scheme === 'file' ? uri.fsPath : uri.toString()) : `${source!.context}/${source!.namespace}`;
  let plan: RestorePlan;
  try {
    plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GitOps DR: comparing ${path.basename(sourceLabel)} with ${target.context}/${target.namespace}`, cancellable: true },
      async (_p, token) => {
        const signal = signalOf(token);
        if (uri) {
          return planFromFile(client, uri, { namespace: target.namespace, stopOperation: false }, signal, services.backups);
        }
        const sourceClient = await services.kube.client(source!.context);
        return compareWithLive({ kind: 'live', client: sourceClient, namespace: source!.namespace }, client, { namespace: target.namespace, signal });
      },
    );
  } catch (e) {
    if (e instanceof RestoreRefusedError) return { refused: await showRefusal(services, 'Compare', sourceLabel, e.problems, interactive) };
    services.log.error(`compare: ${describeError(e)}`);
    throw e;
  }
  const planId = store.add(plan, `Drift ${path.basename(sourceLabel)} vs ${target.context}-${target.namespace}`);
  services.log.info(`compare: ${sourceLabel} vs ${target.context}/${target.namespace}: ${formatCounts(plan)}`);
  await vscode.window.showTextDocument(store.planUri(planId), { preview: false });
  return { planId, plan: planReport(plan) };
}
