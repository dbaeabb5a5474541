// The agents view: provider, welcome-state context key, kubeconfig file watching, optional refresh interval, and
// the tree's own commands (refresh, retry, copy identifier, reveal kubeconfig).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import type { KubeAccess } from '../kubeAccess';
import { AgentsController } from './agentsController';
import { AgentsTreeProvider } from './agentsTreeProvider';
import type { TreeNode } from './nodes';
import { COMMANDS } from '../commandIds';
import { registerRoleStatusBar } from './roleStatusBar';

const AGENTS_VIEW = 'gitopsDr.agents';

export function registerAgentsTree(services: ExtensionServices, kube: KubeAccess): AgentsController {
  const { context, log } = services;
  const controller = new AgentsController(kube, services.settings, (m) => log.info(m));
  const provider = new AgentsTreeProvider(controller.model);
  const view = vscode.window.createTreeView(AGENTS_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(controller, provider, view);
  registerRoleStatusBar(context, controller, view, AGENTS_VIEW);

  const updateState = (): void => {
    void vscode.commands.executeCommand('setContext', 'gitopsDr.state', controller.model.state);
    const s = controller.model.snapshot;
    const errors = s.groups.reduce((n, g) => n + g.findings.filter((f) => f.severity === 'error').length, 0);
    view.badge = errors > 0 ? { value: errors, tooltip: `${errors} DR rule violation${errors > 1 ? 's' : ''}` } : undefined;
    view.message = controller.model.problem;
  };
  context.subscriptions.push(controller.model.onDidChange(updateState));

  // Kubeconfig files are watched by polling their stat: editors replace files, which breaks inode watches.
  let watched: string[] = [];
  const onFileChange = (): void => void controller.refreshIfStarted();
  const watch = (): void => {
    for (const f of watched) fs.unwatchFile(f, onFileChange);
    watched = services.kube.files();
    for (const f of watched) fs.watchFile(f, { interval: 2000, persistent: false }, onFileChange);
  };
  watch();
  context.subscriptions.push({ dispose: () => watched.forEach((f) => fs.unwatchFile(f, onFileChange)) });

  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearInterval(timer);
    const every = services.settings().refreshIntervalMs;
    timer = every > 0 ? setInterval(() => void controller.refreshIfStarted(), every) : undefined;
  };
  schedule();
  context.subscriptions.push({ dispose: () => timer && clearInterval(timer) });
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gitopsDr.refreshIntervalSeconds')) schedule();
      if (e.affectsConfiguration('gitopsDr.kubeconfigPaths') || e.affectsConfiguration('gitopsDr.agentNamespaces') || e.affectsConfiguration('gitopsDr.probeTimeoutSeconds')) {
        watch();
        void controller.refreshIfStarted();
      }
    }),
  );

  const contextName = (node: TreeNode | undefined): string | undefined => node?.context?.name ?? node?.agent?.context;
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.refresh, () =>
      vscode.window.withProgress({ location: { viewId: AGENTS_VIEW } }, () => controller.refresh()).then(() => controller.model.snapshot),
    ),
    vscode.commands.registerCommand(COMMANDS.retryContext, async (node?: TreeNode) => {
      const name = contextName(node);
      if (name) await vscode.window.withProgress({ location: { viewId: AGENTS_VIEW } }, () => controller.retry(name));
      return name ? controller.model.snapshot.contexts.find((c) => c.name === name) : undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.copyIdentifier, async (node?: TreeNode) => {
      const agent = node?.agent;
      const text = agent ? [agent.identity.agent, agent.drIdentifier].filter(Boolean).join(' / ') : node?.group?.identity.agent;
      if (text) await vscode.env.clipboard.writeText(text);
      return text;
    }),
    vscode.commands.registerCommand(COMMANDS.revealKubeconfig, async (node?: TreeNode) => {
      const file = node?.context?.file ?? (node?.agent ? controller.model.snapshot.contexts.find((c) => c.name === node.agent!.context)?.file : undefined) ?? services.kube.files()[0];
      if (!file) return undefined;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const editor = await vscode.window.showTextDocument(doc, { preview: true });
      const name = contextName(node);
      const at = name ? doc.getText().search(new RegExp(`name:\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`, 'm')) : -1;
      if (at >= 0) {
        const pos = doc.positionAt(at);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
      }
      return file;
    }),
    vscode.commands.registerCommand(COMMANDS.openKubeconfigSetting, () => vscode.commands.executeCommand('workbench.action.openSettings', 'gitopsDr.kubeconfigPaths')),
  );

  updateState();
  // Activation (a YAML file opened for linting) must not contact any cluster or run a credential plugin:
  // discovery starts when the view is first shown, or when a command needs the agents.
  const startWhenShown = (visible: boolean): void => {
    if (visible && !controller.started) void controller.refresh();
  };
  context.subscriptions.push(view.onDidChangeVisibility((e) => startWhenShown(e.visible)));
  startWhenShown(view.visible);
  return controller;
}
