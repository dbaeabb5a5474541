// The status-bar item of the current kubeconfig context's DR role; a click reveals that context's row in the tree.
// It follows the tree's model (a kubeconfig edit that changes current-context refreshes the tree, then this).
import * as vscode from 'vscode';
import type { AgentsController } from './agentsController';
import type { TreeNode } from './nodes';
import { currentRole, type CurrentRole } from './currentRole';
import { COMMANDS } from '../commandIds';

export interface RevealResult extends CurrentRole {
  /** The row revealed, when there was one. */
  revealed?: string;
}

export function registerRoleStatusBar(context: vscode.ExtensionContext, controller: AgentsController, view: vscode.TreeView<TreeNode>, viewId: string): void {
  const item = vscode.window.createStatusBarItem('gitopsDr.currentRole', vscode.StatusBarAlignment.Left, 50);
  item.name = 'GitOps DR: role of the current context';
  item.command = COMMANDS.revealCurrentContext;
  const now = (): CurrentRole => currentRole(controller.model.snapshot, controller.model.roles, controller.started);
  const update = (): void => {
    const r = now();
    item.text = r.text;
    const md = new vscode.MarkdownString(r.tooltip, true);
    md.isTrusted = false;
    item.tooltip = md;
    item.accessibilityInformation = { label: r.text.replace(/\$\([^)]*\)\s*/g, '') };
  };
  update();
  item.show();
  context.subscriptions.push(
    item,
    controller.model.onDidChange(update),
    vscode.commands.registerCommand(COMMANDS.revealCurrentContext, async (): Promise<RevealResult> => {
      // Discovery may not have run yet (the view never shown): a click starts it and waits for it.
      if (!controller.started) await controller.refresh();
      else await controller.whenIdle();
      update();
      const r = now();
      const node = r.nodeId ? controller.model.find(r.nodeId) : undefined;
      if (!node) {
        await vscode.commands.executeCommand(`${viewId}.focus`);
        return r;
      }
      await view.reveal(node, { select: true, focus: true, expand: false });
      return { ...r, revealed: node.id };
    }),
  );
}
