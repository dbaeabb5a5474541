// The restore feature in VS Code: "Restore backup", "Compare with live", the per-object diff, and the read-only
// documents (plan, result, diff sides) they open.
import * as vscode from 'vscode';
import { withOperation, type ExtensionServices } from '../services';
import { compareWithLiveCommand } from './compareCommand';
import { LIVE_SCHEME, PLAN_SCHEME, PlanStore } from './planStore';
import { restoreBackupCommand } from './restoreCommand';
import { COMMANDS } from '../commandIds';
import { registerPlanView } from './planView';
import { drillCommand } from './drillCommand';

export interface ShowDiffArgs {
  planId?: string;
  index?: number;
}

export function registerRestore(services: ExtensionServices): PlanStore {
  const store = new PlanStore();
  const { context } = services;
  registerPlanView(services, store);
  context.subscriptions.push(
    store,
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, store),
    vscode.workspace.registerTextDocumentContentProvider(LIVE_SCHEME, store),
    vscode.languages.registerDocumentLinkProvider({ scheme: PLAN_SCHEME }, store),
    vscode.commands.registerCommand(COMMANDS.restoreBackup, (arg?: unknown) => withOperation(services, 'restore', (scoped) => restoreBackupCommand(scoped, store, arg))),
    vscode.commands.registerCommand(COMMANDS.compareWithLive, (arg?: unknown) => withOperation(services, 'compare', (scoped) => compareWithLiveCommand(scoped, store, arg))),
    vscode.commands.registerCommand(COMMANDS.drill, (arg?: unknown) => withOperation(services, 'restore', (scoped) => drillCommand(scoped, arg))),
    vscode.commands.registerCommand(COMMANDS.showPlanDiff, async (arg?: ShowDiffArgs) => {
      const planId = arg?.planId ?? store.lastPlanId;
      const plan = planId ? store.get(planId)?.plan : undefined;
      if (!planId || !plan) {
        void vscode.window.showWarningMessage('GitOps DR: no restore plan to show: run "Restore Backup…" or "Compare with Live…" first.');
        return undefined;
      }
      const index = arg?.index ?? plan.entries.findIndex((e) => e.action === 'update');
      if (index < 0 || index >= plan.entries.length) {
        void vscode.window.showWarningMessage(`GitOps DR: the plan has no object ${index < 0 ? 'to update' : index}; pick one in the Restore Plan view.`);
        return undefined;
      }
      const { left, right, title } = store.diffUris(planId, index);
      await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
      return { left: left.toString(), right: right.toString(), title };
    }),
  );
  return store;
}
