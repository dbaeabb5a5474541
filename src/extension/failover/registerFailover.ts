// The failover feature in VS Code: the Harness API key commands, "Fail over to this agent", the sync-window
// commands, and the Harness roles the agents tree shows.
import * as vscode from 'vscode';
import { withOperation, type ExtensionServices } from '../services';
import { API_KEY_SECRET, HarnessRoles } from './harnessAccess';
import { currentFailoverView, failoverCommand, type FailoverArgs } from './failoverCommand';
import type { ViewAction } from './failoverView';
import { syncWindowsCommands } from './syncWindowsCommands';
import { COMMANDS } from '../commandIds';

export interface FailoverFeature {
  /** Reads the Harness roles again and hands them to the tree. */
  roles: HarnessRoles;
}

export function registerFailover(services: ExtensionServices): FailoverFeature {
  const { context, log } = services;
  const roles = new HarnessRoles(services);

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.setHarnessApiKey, async (arg?: { apiKey?: string }) => {
      // A key given as an argument is for automation and tests; people get a password box.
      const apiKey =
        arg?.apiKey ??
        (await vscode.window.showInputBox({
          title: 'Harness API key',
          prompt: 'A Harness personal access token or service account token with GitOps agent view/edit permission. Stored in VS Code secret storage; never shown again.',
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() === '' ? 'Paste the key' : /[^\x21-\x7e]/.test(v.trim()) ? 'The key holds spaces, line breaks or non-ASCII characters' : undefined),
        }));
      if (!apiKey?.trim()) return { stored: false };
      await context.secrets.store(API_KEY_SECRET, apiKey.trim());
      log.info('Harness API key stored in secret storage');
      await roles.refresh();
      return { stored: true };
    }),
    vscode.commands.registerCommand(COMMANDS.clearHarnessApiKey, async () => {
      await context.secrets.delete(API_KEY_SECRET);
      log.info('Harness API key removed from secret storage');
      await roles.refresh();
      return { cleared: true };
    }),
    vscode.commands.registerCommand(COMMANDS.refreshHarnessRoles, () => roles.refresh().then((r) => (r ? Object.fromEntries([...r].map(([k, v]) => [k, { error: v.error, nodes: Object.fromEntries(v.nodes) }])) : undefined))),
    vscode.commands.registerCommand(COMMANDS.failover, (arg?: FailoverArgs) => withOperation(services, 'failover', (scoped) => failoverCommand(scoped, roles, arg))),
    // What a button of the failover view does, by command (keyboard users, tests); returns the view's state.
    vscode.commands.registerCommand(COMMANDS.failoverViewAct, async (m: ViewAction) => {
      const view = currentFailoverView;
      if (!view) return undefined;
      await view.act(m);
      return view.state;
    }),
    ...syncWindowsCommands(services),
    context.secrets.onDidChange((e) => {
      if (e.key === API_KEY_SECRET) void roles.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gitopsDr.harness')) void roles.refresh();
    }),
  );
  void roles.refresh();
  return { roles };
}
