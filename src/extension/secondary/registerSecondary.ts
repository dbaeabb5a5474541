// The secondary-agent feature: "Add Secondary DR Agent…" and "Restore into Secondary…" on the tree's agents.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { COMMANDS } from '../commandIds';
import { addSecondaryCommand, type AddSecondaryArgs } from './addSecondaryCommand';
import { restoreIntoSecondary } from './restoreIntoSecondary';

export function registerSecondary(services: ExtensionServices): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.addSecondary, (arg?: AddSecondaryArgs) => addSecondaryCommand(services, arg)),
    // The first restore into a fresh secondary: the ordinary restore aimed at that member, after fencing it.
    vscode.commands.registerCommand(COMMANDS.restoreIntoSecondary, (arg?: unknown) => restoreIntoSecondary(services, arg)),
  );
}
