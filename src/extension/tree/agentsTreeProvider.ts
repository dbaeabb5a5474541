// Renders the agents model as a VS Code tree. It does not fetch: the controller fills the model.
import * as vscode from 'vscode';
import type { AgentsModel } from './agentsModel';
import type { TreeNode } from './nodes';

export class AgentsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: { dispose(): void };
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly model: AgentsModel) {
    // Contexts answer one by one; coalesce bursts into one repaint.
    this.subscription = model.onDidChange(() => {
      if (this.pending) return;
      this.pending = setTimeout(() => {
        this.pending = undefined;
        this.emitter.fire(undefined);
      }, 30);
    });
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = node.children?.length ? (node.collapsed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded) : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    if (node.description !== undefined) item.description = node.description;
    if (node.tooltip) {
      const md = new vscode.MarkdownString(node.tooltip, true);
      md.isTrusted = false;
      item.tooltip = md;
    }
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.contextValue;
    if (node.agent) item.accessibilityInformation = { label: `${node.label}, ${node.description ?? ''}` };
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? (node.children ?? []) : this.model.roots();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.model.parentOf(node.id);
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
