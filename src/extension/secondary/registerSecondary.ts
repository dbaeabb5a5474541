// The secondary-agent feature: "Add Secondary DR Agent…" and "Restore into Secondary…" on the tree's agents.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { COMMANDS } from '../commandIds';
import { addSecondaryCommand, type AddSecondaryArgs } from './addSecondaryCommand';

export function registerSecondary(services: ExtensionServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.addSecondary, (arg?: AddSecondaryArgs) => addSecondaryCommand(services, arg)),
    // The first restore into a fresh secondary is the ordinary restore command aimed at that member.
    vscode.commands.registerCommand(COMMANDS.restoreIntoSecondary, (arg?: { agent?: { context: string; namespace: string } }) =>
      vscode.commands.executeCommand('gitopsDr.restoreBackup', arg?.agent ? { context: arg.agent.context, namespace: arg.agent.namespace } : arg),
    ),
  );
}
