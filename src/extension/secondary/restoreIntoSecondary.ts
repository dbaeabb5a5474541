// "Restore into Secondary…": the ordinary restore aimed at a member, made safe for a secondary that was never
// fenced (a fresh install has no deny window): syncs are blocked there first (gitops-dr's deny window on every
// AppProject), so the restore keeps that fence and fences the AppProjects it creates too; otherwise the restored
// Applications could sync beside the primary's (dual-active).
import * as vscode from 'vscode';
import { APP_PROJECT } from '../../core/objects/resources';
import { namespaceFence } from '../../core/syncWindows/fence';
import { blockSyncs, describeOutcomes } from '../../core/syncWindows/onCluster';
import type { AppProject } from '../../core/syncWindows/model';
import { withOperation, type ExtensionServices } from '../services';
import { COMMANDS } from '../commandIds';
import { targetOf } from '../restore/targets';

export interface RestoreIntoSecondaryResult {
  /** What was done to fence the secondary before the restore. */
  fence: 'alreadyFenced' | 'blocked' | 'noProject';
  restore: unknown;
}

export async function restoreIntoSecondary(services: ExtensionServices, arg?: unknown): Promise<RestoreIntoSecondaryResult> {
  const { context, namespace } = targetOf(arg);
  if (!context || !namespace) throw new Error('name the secondary: a member of a DR pair, or { context, namespace }');
  const interactive = (arg as { confirm?: boolean } | undefined)?.confirm !== false;
  const fence = await withOperation(services, 'syncWindows', async (scoped) => {
    const client = await scoped.kube.client(context);
    const projects = await client.listAll<AppProject>(APP_PROJECT, namespace);
    if (namespaceFence(projects)) return 'alreadyFenced' as const;
    if (projects.length === 0) {
      services.log.warn(`restore into secondary: ${context}/${namespace} has no AppProject to fence; run "Block Syncs" on it once the restore created its projects`);
      return 'noProject' as const;
    }
    const r = await blockSyncs(client, namespace, { reason: 'secondary: fenced before its first restore' });
    services.log.info(`restore into secondary: syncs blocked on ${context}/${namespace} first: ${describeOutcomes(r)}`);
    if (!r.ok) throw new Error(`could not fence ${context}/${namespace} before the restore (${describeOutcomes(r)}); nothing was restored`);
    if (interactive) void vscode.window.showInformationMessage(`GitOps DR: ${context}/${namespace} had no fence: syncs are blocked there first, so the restored Applications cannot sync beside the primary's.`);
    return 'blocked' as const;
  });
  // The restore's own arguments (source, apply, options) pass through; the node's agent becomes the target.
  const { agent: _agent, group: _group, ...rest } = (arg ?? {}) as Record<string, unknown>;
  const restore = await vscode.commands.executeCommand(COMMANDS.restoreBackup, { ...rest, context, namespace });
  return { fence, restore };
}
